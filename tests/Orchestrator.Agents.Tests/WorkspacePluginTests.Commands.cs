using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agents.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Tests;

/// <summary>The build and test tools: the repository's own commands, in the sandbox, bounded in time.</summary>
public sealed partial class WorkspacePluginTests
{
    [Fact]
    public async Task Run_build_and_run_tests_run_the_repositorys_commands_in_the_workspace_and_report_exit_codes()
    {
        WriteCommands("""{ "build": ["sh", "-c", "echo building in $(pwd); exit 3"], "test": ["true"] }""");
        var plugin = Plugin();

        var build = await plugin.RunBuildAsync(_ct).WaitAsync(TimeSpan.FromSeconds(30), _ct);
        var tests = await plugin.RunTestsAsync(_ct).WaitAsync(TimeSpan.FromSeconds(30), _ct);

        Assert.StartsWith("`sh -c 'echo building in $(pwd); exit 3'`: exit code 3\n", build, StringComparison.Ordinal);
        Assert.Contains($"building in {new WorkspaceRoot(_workspace).Directory}", build, StringComparison.Ordinal);
        Assert.StartsWith("`true`: exit code 0", tests, StringComparison.Ordinal);
        Assert.Equal(2, _activity.Calls.Count);
    }

    [Fact]
    public async Task Run_tests_reports_a_timeout_when_the_command_outlasts_the_command_timeout()
    {
        // The command would run for ten minutes: only the timeout's kill ends it within the wait.
        WriteCommands("""{ "test": ["sh", "-c", "echo started; sleep 600"] }""");
        var plugin = Plugin(new AgentOptions { CommandTimeout = TimeSpan.FromSeconds(1) });

        var output = await plugin.RunTestsAsync(_ct).WaitAsync(Eventually.DefaultTimeout, _ct);

        Assert.Contains("timed out after 00:00:01", output, StringComparison.Ordinal);
        Assert.Contains("started", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_running_command_stops_it()
    {
        WriteCommands("""{ "build": ["sleep", "600"] }""");
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Plugin().RunBuildAsync(cancellation.Token).WaitAsync(Eventually.DefaultTimeout, _ct));
    }

    [Fact]
    public async Task A_repository_without_the_command_or_with_a_broken_configuration_gets_an_error_message()
    {
        var plugin = Plugin();
        WriteCommands("""{ "build": ["true"] }""");
        var noTests = await plugin.RunTestsAsync(_ct).WaitAsync(TimeSpan.FromSeconds(30), _ct);
        WriteCommands("""{ "build": "make" }""");
        var broken = await plugin.RunBuildAsync(_ct).WaitAsync(TimeSpan.FromSeconds(30), _ct);

        Assert.StartsWith("Error: this repository has no test command", noTests, StringComparison.Ordinal);
        Assert.StartsWith("Error: ", broken, StringComparison.Ordinal);
        Assert.Contains("\"build\" must be null or a non-empty array", broken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_output_over_the_limit_keeps_its_start_and_its_end_with_a_note_of_what_was_cut()
    {
        // The command line, 3000 zeros and a last line: well over the 1000-character limit. The end is where a build's
        // errors are, so it must survive the cut.
        WriteCommands("""{ "test": ["sh", "-c", "printf '%03000d\\nthe last line' 0"] }""");
        var plugin = Plugin(new AgentOptions { MaxToolOutputChars = 1_000 });

        var output = await plugin.RunTestsAsync(_ct).WaitAsync(TimeSpan.FromSeconds(30), _ct);

        Assert.StartsWith("`sh -c ", output, StringComparison.Ordinal);
        Assert.Contains(": exit code 0\n", output, StringComparison.Ordinal);
        Assert.EndsWith("\nthe last line", output, StringComparison.Ordinal);
        Assert.Matches(@"\n\.\.\. \[\d+ characters cut here; the start and the end are shown\] \.\.\.\n", output);
        Assert.InRange(output.Length, 1_000, 1_100);
    }

    [Fact]
    public void A_long_file_is_truncated_before_it_goes_back_to_the_model()
    {
        Write("big.txt", new string('a', 5000));

        var output = Plugin(new AgentOptions { MaxToolOutputChars = 1_000 }).ReadFile("big.txt");

        Assert.StartsWith(new string('a', 600) + "\n... [", output, StringComparison.Ordinal);
        Assert.EndsWith("] ...\n" + new string('a', 400), output, StringComparison.Ordinal);
        Assert.True(output.Length < 1100);
    }

    [Fact]
    public void The_truncation_note_of_a_long_file_says_how_much_of_the_file_was_cut()
    {
        Write("big.txt", new string('a', 5000));

        var output = Plugin(new AgentOptions { MaxToolOutputChars = 1_000 }).ReadFile("big.txt");

        Assert.Contains("\n... [4000 characters cut here; the start and the end are shown] ...\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_tool_call_is_recorded_in_the_activity_log()
    {
        Write("a.txt", "a\n");
        var plugin = Plugin();

        plugin.ReadFile("a.txt");
        plugin.WriteFile("../x", "x");
        plugin.ListFiles(".");

        // Targets only: the tool labels in the log are not part of the contract with the model.
        Assert.Equal(["a.txt", "../x", "."], _activity.Calls.Select(call => call[(call.IndexOf(' ', StringComparison.Ordinal) + 1)..]));
    }
}
