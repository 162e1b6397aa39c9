using System.Diagnostics;
using System.Globalization;

namespace Orchestrator.Workspaces.Tests;

public sealed class ProcessRunnerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();

    public void Dispose() => _temp.Dispose();

    private ProcessSpec Shell(string script) => new("sh", ["-c", script], _temp.Path);

    [Fact]
    public async Task Captures_stdout_and_stderr_together_with_the_exit_code()
    {
        var result = await _runner.RunAsync(Shell("echo to-out; echo to-err >&2; exit 3"), TestContext.Current.CancellationToken);

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.False(result.TimedOut);
        Assert.Contains("to-out", result.Output);
        Assert.Contains("to-err", result.Output);
    }

    [Fact]
    public async Task Passes_arguments_verbatim_without_a_shell()
    {
        var spec = new ProcessSpec("printf", ["%s|", "two words", "$HOME", "; rm -rf /", "'quoted'"], _temp.Path);

        var result = await _runner.RunAsync(spec, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded);
        Assert.Equal("two words|$HOME|; rm -rf /|'quoted'|", result.Output);
    }

    [Fact]
    public async Task Passes_quotes_backslashes_and_empty_arguments_verbatim()
    {
        string[] arguments = ["a\\b", "\"quoted\"", "", "tab\there", "trailing\\", "\\\"", "ünï €"];

        var result = await _runner.RunAsync(new ProcessSpec("printf", ["%s|", .. arguments], _temp.Path), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded);
        Assert.Equal(string.Concat(arguments.Select(a => a + "|")), result.Output);
    }

    [Fact]
    public async Task Run_with_streams_feeds_stdin_hands_over_stdout_and_keeps_stderr_with_the_scrubbed_environment()
    {
        Environment.SetEnvironmentVariable("ORCHESTRATOR_TEST_SECRET", "hunter2");
        try
        {
            using var input = new MemoryStream("from stdin\n"u8.ToArray());
            var stdout = string.Empty;
            var streams = new ProcessStreams(input, async (stream, ct) => stdout = await new StreamReader(stream).ReadToEndAsync(ct));

            var result = await _runner.RunAsync(Shell("cat; env; echo to-err >&2; exit 4"), streams, TestContext.Current.CancellationToken);

            Assert.Equal(4, result.ExitCode);
            Assert.StartsWith("from stdin\n", stdout);
            Assert.Contains("PATH=", stdout);
            Assert.DoesNotContain("hunter2", stdout);
            Assert.Equal("to-err\n", result.Output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ORCHESTRATOR_TEST_SECRET", null);
        }
    }

    [Fact]
    public async Task Runs_in_the_working_directory()
    {
        var result = await _runner.RunAsync(new ProcessSpec("pwd", [], _temp.Path), TestContext.Current.CancellationToken);

        Assert.Equal(Path.GetFullPath(_temp.Path), result.Output.Trim());
    }

    [Fact]
    public async Task Gives_the_process_an_empty_closed_stdin()
    {
        // An open stdin would keep cat waiting until the timeout: Succeeded would be false.
        var result = await _runner.RunAsync(new ProcessSpec("cat", [], _temp.Path) { Timeout = TimeSpan.FromSeconds(20) }, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task Enforces_the_timeout_and_kills_the_process_tree()
    {
        var spec = Shell("sleep 600 & echo $!; wait") with { Timeout = TimeSpan.FromSeconds(1) };

        var result = await RunBoundedAsync(spec);

        Assert.True(result.TimedOut);
        Assert.False(result.Succeeded);
        Assert.Contains("timed out", result.Output);
        var sleeper = int.Parse(result.Output.Split('\n')[0].Trim(), CultureInfo.InvariantCulture);
        Assert.True(await IsGoneAsync(sleeper), $"sleep (pid {sleeper}) is still running");
    }

    [Fact]
    public async Task Does_not_hang_on_a_daemonised_grandchild_that_keeps_the_pipes_open()
    {
        // The subshell re-parents the sleep to init, out of reach of the tree kill, still holding stdout.
        // Waiting for the pipes to close would end in the timeout (not Succeeded) or not at all (RunBoundedAsync fails).
        var spec = Shell("(sleep 600 & echo $!); echo done") with { Timeout = TimeSpan.FromSeconds(20) };

        var result = await RunBoundedAsync(spec);

        var orphan = int.Parse(result.Output.Split('\n')[0].Trim(), CultureInfo.InvariantCulture);
        Kill(orphan);
        Assert.True(result.Succeeded);
        Assert.Contains("done", result.Output);
    }

    [Fact]
    public async Task Does_not_hang_after_a_timeout_when_a_daemonised_grandchild_keeps_the_pipes_open()
    {
        var spec = Shell("(sleep 600 & echo $!); sleep 600") with { Timeout = TimeSpan.FromSeconds(1) };

        var result = await RunBoundedAsync(spec);

        var orphan = int.Parse(result.Output.Split('\n')[0].Trim(), CultureInfo.InvariantCulture);
        Kill(orphan);
        Assert.True(result.TimedOut);
    }

    [Fact]
    public async Task Throws_on_cancellation_after_killing_the_process()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var pidFile = _temp.Combine("pid");
        var spec = Shell($"echo $$ > '{pidFile}'; exec sleep 600");
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(700));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _runner.RunAsync(spec, cancellation.Token).WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken));

        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        Assert.True(await IsGoneAsync(pid), $"sleep (pid {pid}) is still running");
    }

    [Fact]
    public async Task Truncates_output_beyond_the_cap_keeping_head_and_tail()
    {
        var spec = new ProcessSpec("seq", ["1", "20000"], _temp.Path) { MaxOutputChars = 1_000 };

        var result = await _runner.RunAsync(spec, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded);
        Assert.StartsWith("1\n2\n3\n", result.Output);
        Assert.EndsWith("19999\n20000\n", result.Output);
        Assert.Matches(@"\n\.\.\. \[\d+ characters truncated\] \.\.\.\n", result.Output);
        Assert.True(result.Output.Length < 1_100, $"kept {result.Output.Length} characters");

        var total = Enumerable.Range(1, 20000).Sum(i => i.ToString(CultureInfo.InvariantCulture).Length + 1);
        Assert.Contains($"[{total - 1_000} characters truncated]", result.Output);
    }

    [Fact]
    public async Task Keeps_output_under_the_cap_intact()
    {
        var spec = new ProcessSpec("seq", ["1", "100"], _temp.Path) { MaxOutputChars = 1_000 };

        var result = await _runner.RunAsync(spec, TestContext.Current.CancellationToken);

        Assert.Equal(string.Join("", Enumerable.Range(1, 100).Select(i => $"{i}\n")), result.Output);
    }

    [Fact]
    public async Task Does_not_pass_the_service_environment_to_the_process()
    {
        Environment.SetEnvironmentVariable("ORCHESTRATOR_TEST_SECRET", "hunter2");
        Environment.SetEnvironmentVariable("MSBuildExtensionsPath", "/leaked/from/parent");
        try
        {
            var spec = new ProcessSpec("env", [], _temp.Path)
            {
                Environment = new Dictionary<string, string> { ["EXTRA_FOR_AGENT"] = "yes", ["GIT_TERMINAL_PROMPT"] = "overridden" },
            };

            var result = await _runner.RunAsync(spec, TestContext.Current.CancellationToken);

            var variables = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('=', 2))
                .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : string.Empty);
            Assert.DoesNotContain("ORCHESTRATOR_TEST_SECRET", variables.Keys);
            Assert.DoesNotContain("MSBuildExtensionsPath", variables.Keys);
            Assert.DoesNotContain("hunter2", result.Output);
            Assert.Equal(Environment.GetEnvironmentVariable("PATH"), variables["PATH"]);
            Assert.Equal("1", variables["DOTNET_CLI_TELEMETRY_OPTOUT"]);
            Assert.Equal("1", variables["MSBUILDDISABLENODEREUSE"]);
            Assert.Equal("0", variables["DOTNET_CLI_USE_MSBUILD_SERVER"]);
            Assert.Equal("false", variables["UseSharedCompilation"]);
            Assert.Equal("yes", variables["EXTRA_FOR_AGENT"]);
            Assert.Equal("overridden", variables["GIT_TERMINAL_PROMPT"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ORCHESTRATOR_TEST_SECRET", null);
            Environment.SetEnvironmentVariable("MSBuildExtensionsPath", null);
        }
    }

    [Fact]
    public async Task Reports_a_missing_executable_as_exit_code_127()
    {
        var result = await _runner.RunAsync(new ProcessSpec("no-such-tool-4f2a", ["--help"], _temp.Path), TestContext.Current.CancellationToken);

        Assert.Equal(127, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Contains("no-such-tool-4f2a", result.Output);
    }

    [Fact]
    public async Task Refuses_a_working_directory_that_does_not_exist()
    {
        await Assert.ThrowsAsync<DirectoryNotFoundException>(
            () => _runner.RunAsync(new ProcessSpec("true", [], _temp.Combine("missing")), TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// Runs a command that would take ten minutes if the runner did not stop it; the wait is bounded well below that,
    /// so a runner that waits for the command (or its pipes) fails the test instead of passing slowly.
    /// </summary>
    private Task<ProcessResult> RunBoundedAsync(ProcessSpec spec) =>
        _runner.RunAsync(spec, TestContext.Current.CancellationToken).WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);

    // A killed process disappears when the kernel and its parent are done with it: wait for that, up to the deadline.
    private static Task<bool> IsGoneAsync(int pid) =>
        Eventually.TrueAsync(() => Task.FromResult(!IsRunning(pid)), Eventually.DefaultTimeout);

    // A zombie waiting for its parent to reap it is not running.
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
        }
    }
}
