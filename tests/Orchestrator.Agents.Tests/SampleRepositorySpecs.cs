using Orchestrator.Agents.Tests.Support;
using Orchestrator.Contracts;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Tests;

/// <summary>The shipped demo: the Coder's turns of samples/scripts/demo-power.json against the sample repository.</summary>
public sealed class SampleRepositorySpecs : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_demo_coder_script_adds_Power_to_the_sample_calculator()
    {
        var created = await _runner.RunAsync(
            new ProcessSpec("bash", [Path.Combine(SourceTree.Samples, "create-sample-repo.sh"), _temp.Path], _temp.Path) { Timeout = TimeSpan.FromSeconds(60) },
            _ct);
        Assert.True(created.Succeeded, created.Output);
        // stdout and stderr come interleaved through the runner, so the path is taken from the documented layout.
        var bare = _temp.Combine("calculator.git");
        Assert.Contains(bare, created.Output, StringComparison.Ordinal);
        var origin = TestRepository.Open(_temp, _runner, bare, _ct);
        await using var host = await AgentHost.StartAsync(_temp, scriptsPath: Path.Combine(SourceTree.Samples, "scripts"));
        var task = Tasks.Assignment(bare, "demo-power", taskId: "implement-power") with { Role = AgentRole.Coder };

        await host.SendAsync(task);
        // The script runs the sample's real `dotnet build` (restore included) before it answers.
        var completed = await host.CompletedAsync(task, timeout: TimeSpan.FromMinutes(2));

        Assert.Equal(["src/Calculator/Arithmetic.cs"], completed.ChangedFiles);
        Assert.Equal(5, completed.Usage.Calls);
        Assert.StartsWith("Added `Arithmetic.Power(double @base, int exponent)`", completed.Summary, StringComparison.Ordinal);
        var arithmetic = await origin.ShowAsync(task.Branch, "src/Calculator/Arithmetic.cs");
        Assert.Contains("public static double Power(double @base, int exponent)", arithmetic, StringComparison.Ordinal);
        Assert.Contains("ArgumentOutOfRangeException.ThrowIfNegative(exponent);", arithmetic, StringComparison.Ordinal);
        Assert.Equal(["src/Calculator/Arithmetic.cs"], await origin.FilesChangedAsync("main", task.Branch));
    }
}
