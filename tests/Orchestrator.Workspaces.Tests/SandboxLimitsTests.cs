namespace Orchestrator.Workspaces.Tests;

/// <summary>The limits of a run, against the real bubblewrap; each runaway is made to outlast the test's wait unless stopped.</summary>
public sealed class SandboxLimitsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly string _workspace;

    public SandboxLimitsTests() => _workspace = _temp.CreateDirectory("workspace");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_command_cannot_start_more_processes_than_the_limit()
    {
        var options = new SandboxOptions { MaxProcesses = 64 };

        // Three hundred ten-minute sleeps: without the limit the script would start them all and say so.
        var result = await SandboxShell.RunAsync(
            _workspace, "i=0; while [ $i -lt 300 ]; do sleep 600 & i=$((i+1)); done; echo all-started", _ct, options: options);

        Assert.False(result.TimedOut);
        Assert.DoesNotContain("all-started", result.Output, StringComparison.Ordinal);
        Assert.Contains("Cannot fork", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fork_bomb_is_held_at_the_process_limit_and_killed_with_everything_it_started_at_the_timeout()
    {
        var marker = $"bomb-{Guid.NewGuid():N}";
        var options = new SandboxOptions { MaxProcesses = 64 };

        var result = await SandboxShell.RunAsync(
            _workspace, $"b() {{ b | b & }}; b; sleep 600 # {marker}", _ct, options: options, timeout: TimeSpan.FromSeconds(3));

        Assert.True(result.TimedOut);
        Assert.True(result.Killed);
        await Eventually.TrueAsync(() => !SandboxShell.HostHasProcessWith(marker), "every process of the bomb to be gone");
    }

    [Fact]
    public async Task A_memory_hog_is_stopped_by_the_memory_limit_not_by_the_timeout()
    {
        var options = new SandboxOptions { MemoryLimitMegabytes = 128 };

        // awk doubles a string for ever: only running out of memory ends it.
        var result = await SandboxShell.RunAsync(_workspace, """awk 'BEGIN { s = "x"; while (1) s = s s }'""", _ct, options: options);

        Assert.False(result.TimedOut);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("out of memory", result.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Scratch_space_is_bounded_and_in_memory()
    {
        var options = new SandboxOptions { TemporarySpaceMegabytes = 16 };
        var big = Path.Combine("/tmp", $"big-{Guid.NewGuid():N}");

        var result = await SandboxShell.RunAsync(
            _workspace, """head -c 64000000 /dev/zero > "$1"; head -c 64000000 /dev/zero > $HOME/big; echo end""", _ct, options: options, arguments: [big]);

        Assert.Contains("No space left on device", result.Output, StringComparison.Ordinal);
        Assert.Contains("end", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(big));
    }

    [Fact]
    public async Task A_command_that_outlasts_its_timeout_is_killed_and_reported()
    {
        var result = await SandboxShell.RunAsync(_workspace, "echo started; sleep 600", _ct, timeout: TimeSpan.FromSeconds(1));

        Assert.True(result.TimedOut);
        Assert.True(result.Killed);
        Assert.Contains("started", result.Output, StringComparison.Ordinal);
    }
}
