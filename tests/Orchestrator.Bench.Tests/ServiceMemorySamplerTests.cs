using System.Diagnostics;
using Orchestrator.Bench.Orchestration;

namespace Orchestrator.Bench.Tests;

public sealed class ServiceMemorySamplerTests : IDisposable
{
    private readonly string _repository = Directory.CreateTempSubdirectory("bench-sampler-").FullName;
    private Process? _service;

    [Fact]
    public void A_service_build_running_below_the_root_is_sampled_by_its_name()
    {
        _service = StartFakeService("Orchestrator.Agents.Coder");
        var sampler = new ServiceMemorySampler(Environment.ProcessId, _repository);

        sampler.SampleOnce();

        Assert.True(sampler.Peaks.TryGetValue("coder", out var megabytes), "the coder build was not found");
        Assert.True(megabytes > 0);
        Assert.DoesNotContain("orchestrator", sampler.Peaks.Keys);
    }

    [Fact]
    public void A_service_of_another_system_is_left_out()
    {
        _service = StartFakeService("Orchestrator.Agents.Coder");
        // The service descends from this test process, not from the test's parent.
        var sampler = new ServiceMemorySampler(_service.Id + 1_000_000, _repository);

        sampler.SampleOnce();

        Assert.Empty(sampler.Peaks);
    }

    public void Dispose()
    {
        if (_service is { HasExited: false })
        {
            _service.Kill();
            _service.WaitForExit();
        }

        _service?.Dispose();
        Directory.Delete(_repository, recursive: true);
    }

    /// <summary>A long sleep whose executable sits where the service's build would: src/&lt;project&gt;/bin/….</summary>
    private Process StartFakeService(string project)
    {
        var build = Directory.CreateDirectory(Path.Combine(_repository, "src", project, "bin", "Release", "net10.0")).FullName;
        var executable = Path.Combine(build, project);
        File.Copy("/bin/sleep", executable);
        return Process.Start(executable, "30");
    }
}
