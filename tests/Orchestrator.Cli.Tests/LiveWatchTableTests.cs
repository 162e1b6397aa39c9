using System.Text.Json.Nodes;
using Orchestrator.Cli.Tests.Support;
using Spectre.Console.Testing;
using static Orchestrator.Cli.Tests.Support.FeatureJson;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// watch and submit --watch when stdout is an interactive terminal (a TestConsole here): one table redrawn in place.
/// Every redraw lands in the TestConsole's output, so the states the table went through can be read in order.
/// </summary>
public sealed class LiveWatchTableTests
{
    private const string Fast = "20";

    [Fact]
    public async Task Watch_in_a_terminal_redraws_one_table_through_the_feature_s_states_to_its_pull_request()
    {
        await using var api = await StubApi.ServingFeatureAsync(
            StubResponse.Json(Feature("Planning")),
            StubResponse.Json(Feature("Executing", RunningCoder(), Task("test-power", "tester", "Pending"))),
            StubResponse.Json(Completed()));

        var result = await CliRunner.RunInTerminalAsync(["watch", Id, "--api", api.Url, "--interval-ms", Fast]);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        var drawn = result.Terminal;
        var planning = drawn.IndexOf("none yet (the feature is being planned)", StringComparison.Ordinal);
        var running = RowIndex(drawn, "implement-power", "coder", "Running", "coder@pod-a/7", "1,200 / 340");
        var completed = RowIndex(drawn, "implement-power", "coder", "Completed");
        Assert.True(planning >= 0 && running > planning && completed > running, drawn);
        Assert.Contains("Task", drawn);
        Assert.Contains("Agent", drawn);
        Assert.Contains("Elapsed", drawn);
        Assert.Contains("Tokens in / out", drawn);
        Assert.Contains($"feature {Id}: Add Calculator.Power", drawn);
        Assert.True(RowIndex(drawn, "verification", "verification passed (dotnet test): 12 passed") > running, drawn);
        Assert.True(RowIndex(drawn, "pull request", PullRequestUrl, "#1, orchestrator/1a2b3c4d → main") > running, drawn);
        Assert.Contains("polling every 20 ms; rides out an API restart (up to 0.5 s)", drawn);

        // The table replaces the progress lines; the outcome follows it as plain lines, the URL easy to copy.
        Assert.Equal(
            [$"feature {Id} Completed", $"pull request #1 opened: {PullRequestUrl} (orchestrator/1a2b3c4d → main)"],
            result.StdoutLines);
    }

    [Fact]
    public async Task Submit_watch_in_a_terminal_prints_the_id_then_draws_the_table_and_ends_with_the_summary()
    {
        await using var api = await StubApi.StartAsync(
            submit: StubResponse.Json(Feature("Planning"), 202, location: $"/features/{Id}"),
            list: null,
            cancel: null,
            StubResponse.Json(Completed()));

        var result = await CliRunner.RunInTerminalAsync(
            ["submit", "--api", api.Url, "--repository", "/repos/calc", "--request", "Add Power", "--watch", "--summary-json", "--interval-ms", Fast]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Id, result.StdoutLines[0]);
        Assert.StartsWith("""{"feature":""", result.StdoutLines[^1]);
        Assert.Contains("Completed", result.Terminal);
    }

    [Fact]
    public async Task An_outage_is_ridden_out_in_the_caption_and_not_written_across_the_table()
    {
        await using var api = await StubApi.ServingFeatureAsync(
            StubResponse.Json(Feature("Executing", RunningCoder())),
            StubResponse.Problem(503, "Service Unavailable", "restarting"),
            StubResponse.Problem(503, "Service Unavailable", "restarting"),
            StubResponse.Json(Completed()));

        var result = await CliRunner.RunInTerminalAsync(["watch", Id, "--api", api.Url, "--interval-ms", Fast]);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        var warning = result.Terminal.IndexOf("warning: Service Unavailable (HTTP 503): restarting; retrying for up to 0.5 s", StringComparison.Ordinal);
        var back = result.Terminal.IndexOf("note: the API answers again after", StringComparison.Ordinal);
        Assert.True(warning >= 0 && back > warning, result.Terminal);
    }

    [Fact]
    public async Task A_failed_feature_shows_why_in_the_table_prints_it_after_and_exits_1()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Finished("Failed", "coder gave up after 2 attempts")));

        var result = await CliRunner.RunInTerminalAsync(["watch", Id, "--api", api.Url, "--interval-ms", Fast]);

        Assert.Equal(1, result.ExitCode);
        Assert.True(RowIndex(result.Terminal, "implement-power", "Failed (attempt 2)") >= 0, result.Terminal);
        Assert.True(RowIndex(result.Terminal, "state", "Failed after", ": coder gave up after 2 attempts") >= 0, result.Terminal);
        Assert.Equal($"feature {Id} Failed: coder gave up after 2 attempts", Assert.Single(result.StdoutLines));
    }

    [Fact]
    public async Task Errors_wait_until_the_table_is_done_and_keep_their_exit_codes()
    {
        var completed = Completed();
        completed["pullRequest"] = null;
        await using var noPullRequest = await StubApi.ServingFeatureAsync(StubResponse.Json(completed));
        await using var stuck = await StubApi.ServingFeatureAsync(StubResponse.Json(Feature("Executing", RunningCoder())));

        var withoutPullRequest = await CliRunner.RunInTerminalAsync(["watch", Id, "--api", noPullRequest.Url, "--interval-ms", Fast]);
        var timedOut = await CliRunner.RunInTerminalAsync(["watch", Id, "--api", stuck.Url, "--interval-ms", "50", "--timeout", "0.3"]);

        Assert.Equal(1, withoutPullRequest.ExitCode);
        Assert.Equal($"error: feature {Id} completed but reported no pull request", Assert.Single(withoutPullRequest.StderrLines));
        Assert.Equal(3, timedOut.ExitCode);
        Assert.StartsWith("error: timed out after 0.3 s", Assert.Single(timedOut.StderrLines));
        Assert.Empty(timedOut.Stdout);
    }

    [Fact]
    public async Task Interrupt_ends_the_table_then_says_how_to_resume_with_exit_130()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Feature("Executing", RunningCoder())));
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var terminal = new TestConsole().Interactive().Width(200);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        interrupt.CancelAfter(TimeSpan.FromMilliseconds(300));
        var exitCode = await CliApp.RunAsync(
            ["watch", Id, "--api", api.Url, "--interval-ms", Fast], stdout, stderr, settings: CliRunner.FastSettings,
            cancellationToken: interrupt.Token, terminal: terminal);

        Assert.Equal(130, exitCode);
        Assert.Equal($"stopped watching; feature {Id} keeps running (resume with: orchestrator watch {Id})", stderr.ToString().Trim());
        Assert.Empty(stdout.ToString());
        Assert.Contains("coder@pod-a/7", terminal.Output);
    }

    [Fact]
    public async Task Json_in_a_terminal_prints_json_and_draws_nothing()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Completed()));

        var result = await CliRunner.RunInTerminalAsync(["watch", Id, "--json", "--api", api.Url, "--interval-ms", Fast]);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Terminal);
        Assert.All(result.StdoutLines, line => Assert.StartsWith("""{"type":""", line));
    }

    private static JsonObject RunningCoder()
    {
        var running = Task("implement-power", "coder", "Running", 1);
        running["instance"] = "coder@pod-a/7";
        running["startedAt"] = "2025-01-01T12:00:01+00:00";
        running["usage"] = new JsonObject { ["inputTokens"] = 1200, ["outputTokens"] = 340, ["calls"] = 3 };
        return running;
    }

    /// <summary>Where a drawn table row holds these cells in this order; -1 when no row does.</summary>
    private static int RowIndex(string drawn, params string[] cells)
    {
        var offset = 0;
        foreach (var row in drawn.Split('\n'))
        {
            var at = 0;
            if (cells.All(cell => (at = row.IndexOf(cell, at, StringComparison.Ordinal)) >= 0))
            {
                return offset;
            }

            offset += row.Length + 1;
        }

        return -1;
    }
}
