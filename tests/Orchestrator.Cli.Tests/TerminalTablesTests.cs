using System.Text.Json.Nodes;
using Orchestrator.Cli.Output;
using Orchestrator.Cli.Tests.Support;
using Spectre.Console.Testing;
using static Orchestrator.Cli.Tests.Support.FeatureJson;

namespace Orchestrator.Cli.Tests;

/// <summary>show and list in a terminal, and the table cells every terminal view shares.</summary>
public sealed class TerminalTablesTests
{
    private static readonly CliSettings InUtc = new()
    {
        Time = new UtcClock(),
        GetEnvironmentVariable = _ => null,
    };

    [Fact]
    public async Task Show_in_a_terminal_draws_the_tasks_and_the_feature_s_details()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Completed()));

        var result = await CliRunner.RunInTerminalAsync(["show", Id, "--api", api.Url], InUtc);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stdout);
        var rows = Rows(result.Terminal);
        Assert.Contains(rows, r => r is ["implement-power", "coder", "Completed", "", "", "0 / 0"]);
        Assert.Contains(rows, r => r is ["model", Model]);
        Assert.Contains(rows, r => r is ["state", "Completed after 0:01"]);
        Assert.Contains(rows, r => r is ["pull request", $"{PullRequestUrl}  (#1, orchestrator/1a2b3c4d → main)"]);
        Assert.Contains(rows, r => r is ["repository", "/repos/calc (base main)"]);
        Assert.Contains(rows, r => r is ["request", "Add a Power method to Calculator"]);
        Assert.Contains(rows, r => r is ["submitted", "2025-01-01 12:00:00"]);
        Assert.Contains(rows, r => r is ["usage", "0 / 0 tokens in / out, 0 calls"]);
    }

    [Fact]
    public async Task List_in_a_terminal_draws_a_row_per_feature_with_its_id_state_repository_submission_and_pull_request()
    {
        var planning = Feature("Planning");
        planning["id"] = "99999999-0000-4000-8000-000000000000";
        await using var api = await StubApi.StartAsync(submit: null, list: StubResponse.Json(new JsonArray(Completed(), planning)), cancel: null);

        var result = await CliRunner.RunInTerminalAsync(["list", "--api", api.Url], InUtc);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stdout);
        var rows = Rows(result.Terminal);
        Assert.Equal(["Id", "State", "Repository", "Submitted", "Pull request"], rows[0]);
        Assert.Equal([Id, "Completed", "/repos/calc", "2025-01-01 12:00", PullRequestUrl], rows[1]);
        Assert.Equal(["99999999-0000-4000-8000-000000000000", "Planning", "/repos/calc", "2025-01-01 12:00", ""], rows[2]);
    }

    [Fact]
    public async Task List_in_a_terminal_without_features_says_so_instead_of_drawing_an_empty_table()
    {
        await using var api = await StubApi.StartAsync(submit: null, list: StubResponse.Json(new JsonArray()), cancel: null);

        var result = await CliRunner.RunInTerminalAsync(["list", "--api", api.Url]);

        Assert.Equal(["no features"], result.StdoutLines);
        Assert.Empty(result.Terminal);
    }

    [Fact]
    public void Square_brackets_from_the_api_are_shown_as_they_are_not_read_as_styles()
    {
        var feature = Snapshots.Executing(Snapshots.Coder with { State = "Failed", Attempts = 2, FailureReason = "[red]boom[/] in [x]" })
            with { State = "Failed", Title = "Fix [bug]", FailureReason = "[/] unbalanced" };
        using var console = new TestConsole().Width(200);

        console.Write(FeatureTable.Build(feature, DateTimeOffset.UnixEpoch));

        Assert.Contains($"feature {Snapshots.Id}: Fix [bug]", console.Output);
        Assert.Contains("[red]boom[/] in [x]", console.Output);
        Assert.Contains(": [/] unbalanced", console.Output);
    }

    [Theory]
    [InlineData(0, "0:00")]
    [InlineData(65, "1:05")]
    [InlineData(3599, "59:59")]
    [InlineData(3600, "1:00:00")]
    [InlineData(90_061, "25:01:01")]
    [InlineData(-5, "0:00")]
    public void Elapsed_is_minutes_and_seconds_then_whole_hours(int seconds, string expected)
    {
        var start = DateTimeOffset.UnixEpoch;

        Assert.Equal(expected, FeatureTable.Duration(start, null, start.AddSeconds(seconds)));
        Assert.Equal(expected, FeatureTable.Duration(start, start.AddSeconds(seconds), DateTimeOffset.MaxValue));
    }

    [Fact]
    public void Elapsed_counts_while_a_task_runs_stops_when_it_finished_and_is_blank_otherwise()
    {
        var start = DateTimeOffset.UnixEpoch;
        var now = start.AddSeconds(90);
        var task = Snapshots.Coder with { StartedAt = start };

        Assert.Equal("1:30", FeatureTable.Elapsed(task with { State = "Running" }, now));
        Assert.Equal("0:20", FeatureTable.Elapsed(task with { State = "Completed", FinishedAt = start.AddSeconds(20) }, now));
        Assert.Equal("", FeatureTable.Elapsed(task with { State = "Completed" }, now));
        Assert.Equal("", FeatureTable.Elapsed(task with { State = "Queued" }, now));
    }

    [Fact]
    public void A_task_that_has_not_started_has_no_elapsed_time_and_no_usage_no_tokens()
    {
        Assert.Equal("", FeatureTable.Duration(null, null, DateTimeOffset.UnixEpoch));
        Assert.Equal("", FeatureTable.Tokens(null));
        Assert.Equal("1,234,567 / 89", FeatureTable.Tokens(new Api.TokenUsage(1_234_567, 89, 4)));
    }

    [Fact]
    public void Stdout_of_a_test_run_is_no_terminal()
    {
        // Under `dotnet test` stdout is a pipe; where it is not (a debugger's console) there is nothing to check.
        Assert.SkipUnless(Console.IsOutputRedirected, "stdout is a terminal in this run");

        Assert.Null(StdoutTerminal.Detect());
    }

    /// <summary>The cells of each drawn table row, trimmed; rows of borders only are left out.</summary>
    private static List<string[]> Rows(string drawn) =>
        drawn.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith('│'))
            .Select(line => line.Trim('│').Split('│').Select(cell => cell.Trim()).ToArray())
            .ToList();

    private sealed class UtcClock : TimeProvider
    {
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
