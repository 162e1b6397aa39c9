using System.Diagnostics;
using Orchestrator.Bench.Orchestration;

namespace Orchestrator.Bench.Tests;

public sealed class ServiceMemorySamplerTests : IDisposable
{
    private readonly string _repository = Directory.CreateTempSubdirectory("bench-sampler-").FullName;
    private Process? _service;

    [Fact]
    public void A_service_build_started_after_the_sampler_is_sampled_by_its_name()
    {
        var sampler = new ServiceMemorySampler(_repository);
        sampler.ExcludeRunning();
        _service = StartFakeService("Orchestrator.Agents.Coder");

        sampler.SampleOnce();

        Assert.True(sampler.Peaks.TryGetValue("coder", out var megabytes), "the coder build was not found");
        Assert.True(megabytes > 0);
        Assert.DoesNotContain("orchestrator", sampler.Peaks.Keys);
    }

    [Fact]
    public void A_service_already_running_belongs_to_another_system_and_is_left_out()
    {
        _service = StartFakeService("Orchestrator.Agents.Coder");
        var sampler = new ServiceMemorySampler(_repository);
        sampler.ExcludeRunning();

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
