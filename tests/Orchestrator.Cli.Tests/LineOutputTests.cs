using System.Text.RegularExpressions;
using Orchestrator.Cli.Tests.Support;
using static Orchestrator.Cli.Tests.Support.FeatureJson;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// Where stdout is not a terminal (a pipe, CI, run.sh, the end-to-end tests) the CLI prints lines, exactly as it did
/// before it could draw tables: scripts, run.sh's demo output and the crash test read them.
/// </summary>
public sealed class LineOutputTests
{
    private const string Fast = "20";

    // Captured from the CLI before the tables existed, with the time stamps and the stub's address masked.
    private static readonly string[] DemoLikeWatch =
    [
        Id,
        $"Location: API/features/{Id}",
        $"hh:mm:ss feature {Id} uses model scripted:demo-power (scripted demo model, not an AI)",
        $"hh:mm:ss feature {Id} Planning",
        $"hh:mm:ss feature {Id} Executing",
        $"hh:mm:ss feature {Id} title: Add Calculator.Power",
        "hh:mm:ss task implement-power (coder) Pending: Do implement-power",
        "hh:mm:ss task test-power (tester) Pending: Do test-power",
        "hh:mm:ss task implement-power (coder) Running attempt 1 on coder@pod-a/7",
        "hh:mm:ss task test-power (tester) Queued attempt 1: waiting for a tester agent",
        $"hh:mm:ss feature {Id} Consolidating",
        "hh:mm:ss task implement-power (coder) Completed orchestrator/1a2b3c4d/implement-power abcdef1: Added Power",
        "hh:mm:ss task test-power (tester) Completed orchestrator/1a2b3c4d/test-power 1234567: Tested Power",
        "hh:mm:ss verification passed (dotnet test): 12 passed",
        $"hh:mm:ss feature {Id} Completed",
        "hh:mm:ss pull request #1 opened: file:///repos/calc/pulls/1 (orchestrator/1a2b3c4d → main)",
        """{"feature":"1a2b3c4d-5e6f-4a0b-8c9d-0123456789ab","state":"Completed","tasks":[{"id":"implement-power","role":"coder","state":"Completed","branch":"orchestrator/1a2b3c4d/implement-power"},{"id":"test-power","role":"tester","state":"Completed","branch":"orchestrator/1a2b3c4d/test-power"}],"pullRequest":{"url":"file:///repos/calc/pulls/1","head":"orchestrator/1a2b3c4d","base":"main","repository":"/repos/calc"}}""",
    ];

    private static readonly string[] OutageNotes =
    [
        "warning: Service Unavailable (HTTP 503): restarting; retrying for up to 0.5 s",
        "note: the API answers again after N s (the orchestrator may have restarted); still watching",
    ];

    private static readonly string[] SubmitWatchSummary =
        ["submit", "--repository", "/repos/calc", "--request", "Add a Power method", "--watch", "--summary-json", "--interval-ms", Fast];

    [Fact]
    public async Task Submit_watch_summary_json_prints_the_same_lines_as_before_the_tables()
    {
        await using var api = await DemoLikeApiAsync();

        var result = await CliRunner.RunAsync([.. SubmitWatchSummary, "--api", api.Url]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(DemoLikeWatch, Masked(result.StdoutLines, api));
        Assert.Equal(OutageNotes, Masked(result.StderrLines, api));
    }

    [Fact]
    public async Task Plain_in_a_terminal_prints_those_same_lines_and_draws_nothing()
    {
        await using var api = await DemoLikeApiAsync();

        var result = await CliRunner.RunInTerminalAsync([.. SubmitWatchSummary, "--plain", "--api", api.Url]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(DemoLikeWatch, Masked(result.StdoutLines, api));
        Assert.Equal(OutageNotes, Masked(result.StderrLines, api));
        Assert.Empty(result.Terminal);
    }

    [Fact]
    public async Task Show_without_a_terminal_prints_what_status_prints()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Completed()));

        var status = await CliRunner.RunAsync(["status", Id, "--api", api.Url]);
        var show = await CliRunner.RunAsync(["show", Id, "--api", api.Url]);
        var plainShowInTerminal = await CliRunner.RunInTerminalAsync(["show", Id, "--plain", "--api", api.Url]);

        Assert.Equal(0, show.ExitCode);
        Assert.Contains("state        Completed", status.StdoutLines);
        Assert.Equal(status.Stdout, show.Stdout);
        Assert.Equal(status.Stdout, plainShowInTerminal.Stdout);
        Assert.Empty(plainShowInTerminal.Terminal);
    }

    [Fact]
    public async Task List_with_plain_in_a_terminal_prints_the_lines()
    {
        await using var api = await StubApi.StartAsync(submit: null, list: StubResponse.Json(new System.Text.Json.Nodes.JsonArray(Completed())), cancel: null);

        var result = await CliRunner.RunInTerminalAsync(["list", "--plain", "--api", api.Url]);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches($"^{Id}  Completed  Add Calculator.Power \\[scripted\\]$", Assert.Single(result.StdoutLines));
        Assert.Empty(result.Terminal);
    }

    /// <summary>A 404 right after the submit, an outage in the middle, and every kind of line on the way to the pull request.</summary>
    private static Task<StubApi> DemoLikeApiAsync()
    {
        var running = Task("implement-power", "coder", "Running", 1);
        running["instance"] = "coder@pod-a/7";
        return StubApi.StartAsync(
            submit: StubResponse.Json(Feature("Planning"), 202, location: $"/features/{Id}"),
            list: null,
            cancel: null,
            StubResponse.Problem(404, "Not Found", "no such feature"),
            StubResponse.Json(Feature("Executing", Task("implement-power", "coder", "Pending"), Task("test-power", "tester", "Pending"))),
            StubResponse.Problem(503, "Service Unavailable", "restarting"),
            StubResponse.Json(Feature("Executing", running, Task("test-power", "tester", "Queued", 1))),
            StubResponse.Json(Feature(
                "Consolidating",
                Task("implement-power", "coder", "Completed", 1, Branch("implement-power"), "abcdef1234567", "Added Power\nmore"),
                Task("test-power", "tester", "Completed", 1, Branch("test-power"), "1234567abcdef", "Tested Power"))),
            StubResponse.Json(Completed()));
    }

    private static string[] Masked(IReadOnlyList<string> lines, StubApi api) =>
        lines.Select(line => Regex.Replace(line, @"^\d\d:\d\d:\d\d ", "hh:mm:ss "))
            .Select(line => Regex.Replace(line, @"after [\d.]+ s \(", "after N s ("))
            .Select(line => line.Replace(api.Url, "API/", StringComparison.Ordinal))
            .ToArray();
}
