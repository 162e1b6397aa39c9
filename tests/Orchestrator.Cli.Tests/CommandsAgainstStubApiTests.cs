using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Cli.Tests.Support;
using static Orchestrator.Cli.Tests.Support.FeatureJson;

namespace Orchestrator.Cli.Tests;

/// <summary>submit, status, list and cancel over real HTTP, including the API's problem details.</summary>
public sealed class CommandsAgainstStubApiTests
{
    [Fact]
    public async Task Validation_problem_prints_title_detail_and_field_errors_on_one_line_and_exits_3()
    {
        var errors = new JsonObject { ["request"] = new JsonArray("The request must not be empty.") };
        await using var api = await StubApi.StartAsync(
            submit: StubResponse.Problem(400, "One or more validation errors occurred.", "The feature request is invalid.", errors),
            list: null,
            cancel: null);

        var result = await CliRunner.RunAsync(["submit", "--api", api.Url, "--repository", "/repos/calc", "--request", "?"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal(
            "error: One or more validation errors occurred. (HTTP 400): The feature request is invalid. [request: The request must not be empty.]",
            Assert.Single(result.StderrLines));
    }

    [Fact]
    public async Task Submit_without_watch_prints_the_id_location_and_model()
    {
        await using var api = await StubApi.StartAsync(
            submit: StubResponse.Json(Feature("Planning"), 202, location: $"/features/{Id}"),
            list: null,
            cancel: null);

        var result = await CliRunner.RunAsync(["submit", "--api", api.Url, "--repository", "https://example.invalid/calc.git", "--request", "Add Power", "--base", "develop"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Id, result.StdoutLines[0]);
        Assert.Contains($"model: {Model}", result.StdoutLines);
        using var body = JsonDocument.Parse(Assert.Single(api.Requests).Body);
        Assert.Equal("develop", body.RootElement.GetProperty("baseBranch").GetString());
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("script").ValueKind);
        Assert.Equal("https://example.invalid/calc.git", body.RootElement.GetProperty("repository").GetString());
    }

    [Fact]
    public async Task Submit_sends_a_request_that_starts_with_an_at_sign_as_text_not_as_a_response_file()
    {
        await using var api = await StubApi.StartAsync(
            submit: StubResponse.Json(Feature("Planning"), 202, location: $"/features/{Id}"),
            list: null,
            cancel: null);

        var result = await CliRunner.RunAsync(["submit", "--api", api.Url, "--repository", "@calc", "--request", "@team add Power"]);

        Assert.Equal(0, result.ExitCode);
        using var body = JsonDocument.Parse(Assert.Single(api.Requests).Body);
        Assert.Equal("@team add Power", body.RootElement.GetProperty("request").GetString());
        Assert.Equal("@calc", body.RootElement.GetProperty("repository").GetString());
    }

    [Fact]
    public async Task Submit_reads_the_request_from_the_file_an_at_sign_names_and_sends_the_model_and_the_budget()
    {
        await using var api = await StubApi.StartAsync(
            submit: StubResponse.Json(Feature("Planning"), 202, location: $"/features/{Id}"),
            list: null,
            cancel: null);
        var file = Path.Combine(Directory.CreateTempSubdirectory("cli-request-").FullName, "request.md");
        await File.WriteAllTextAsync(file, "Add Power.\n\nWith tests and a README section.\n", TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync(["submit", "--api", api.Url, "--repository", "https://example.invalid/calc.git",
            "--request", $"@{file}", "--model", "gpt-4.1-mini", "--token-budget", "250000"]);

        Assert.Equal(0, result.ExitCode);
        using var body = JsonDocument.Parse(Assert.Single(api.Requests).Body);
        Assert.Equal("Add Power.\n\nWith tests and a README section.\n", body.RootElement.GetProperty("request").GetString());
        Assert.Equal("gpt-4.1-mini", body.RootElement.GetProperty("model").GetString());
        Assert.Equal(250_000, body.RootElement.GetProperty("tokenBudget").GetInt64());
    }

    [Fact]
    public async Task Submit_with_a_budget_that_is_not_a_positive_number_is_a_usage_error_and_sends_nothing()
    {
        await using var api = await StubApi.StartAsync(submit: null, list: null, cancel: null);

        var result = await CliRunner.RunAsync(["submit", "--api", api.Url, "--repository", "/repos/calc", "--request", "Add Power", "--token-budget", "0"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("error: --token-budget needs a positive whole number", result.StderrLines[0], StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task Status_shows_state_scripted_model_tasks_and_pull_request()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Completed()));

        var result = await CliRunner.RunAsync(["status", Id, "--api", api.Url]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("state        Completed", result.StdoutLines);
        Assert.Contains($"model        {Model}", result.StdoutLines);
        Assert.Contains("title        Add Calculator.Power", result.StdoutLines);
        Assert.Contains(result.StdoutLines, l => l.Contains("implement-power", StringComparison.Ordinal)
            && l.Contains("coder", StringComparison.Ordinal)
            && l.Contains("attempts 1", StringComparison.Ordinal)
            && l.Contains(Branch("implement-power"), StringComparison.Ordinal)
            && l.Contains("tokens 0 in / 0 out", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.StartsWith($"pull request #1 {PullRequestUrl}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_shows_where_running_work_runs_and_when_it_was_last_seen()
    {
        var running = Task("implement-power", "coder", "Running", 1);
        running["instance"] = "coder@pod-a/7";
        running["lastSeen"] = "2025-01-01T12:00:05+00:00";
        var feature = Feature("Executing", running, Task("test-power", "tester", "Queued", 1));
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(feature));

        var result = await CliRunner.RunAsync(["status", Id, "--api", api.Url]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.StdoutLines, l => l.Contains("implement-power", StringComparison.Ordinal)
            && l.Contains("on coder@pod-a/7 (last seen 2025-01-01 12:00:05 +00:00)", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.Contains("test-power", StringComparison.Ordinal)
            && l.Contains("Queued", StringComparison.Ordinal) && !l.Contains(" on ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_of_a_consolidating_feature_shows_the_merge_instance()
    {
        var feature = Feature("Consolidating", Task("implement-power", "coder", "Completed", 1));
        feature["consolidation"] = new JsonObject { ["attempts"] = 2, ["instance"] = "merge@pod-m/3", ["lastSeen"] = "2025-01-01T12:00:05+00:00" };
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(feature));

        var result = await CliRunner.RunAsync(["status", Id, "--api", api.Url]);

        Assert.Contains("consolidation attempt 2, on merge@pod-m/3 (last seen 2025-01-01 12:00:05 +00:00)", result.StdoutLines);
    }

    [Fact]
    public async Task Status_json_prints_the_api_body_unchanged()
    {
        var feature = Finished("Failed", "boom");
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(feature));

        var result = await CliRunner.RunAsync(["status", Id, "--json", "--api", api.Url]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(feature.ToJsonString(), result.Stdout.TrimEnd());
    }

    [Fact]
    public async Task List_prints_one_line_per_feature()
    {
        var other = Feature("Planning");
        other["id"] = "99999999-0000-4000-8000-000000000000";
        other["request"] = new string('x', 200);
        await using var api = await StubApi.StartAsync(submit: null, list: StubResponse.Json(new JsonArray(Completed(), other)), cancel: null);

        var result = await CliRunner.RunAsync(["list", "--api", api.Url]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.StdoutLines.Count);
        Assert.Matches($"^{Id}  Completed  Add Calculator.Power \\[scripted\\]$", result.StdoutLines[0]);
        Assert.StartsWith("99999999-0000-4000-8000-000000000000  Planning ", result.StdoutLines[1]);
        Assert.Contains("…", result.StdoutLines[1]);
    }

    [Fact]
    public async Task Cancel_sends_the_reason()
    {
        await using var api = await StubApi.StartAsync(submit: null, list: null, cancel: StubResponse.Json(Feature("Executing"), 202));

        var result = await CliRunner.RunAsync(["cancel", Id, "--reason", "wrong repository", "--api", api.Url]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"cancel requested for feature {Id} (state Executing)", Assert.Single(result.StdoutLines));
        var request = Assert.Single(api.Requests);
        Assert.Equal($"/features/{Id}/cancel", request.Path);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("wrong repository", body.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Cancel_of_a_finished_feature_reports_the_conflict_and_exits_3()
    {
        await using var api = await StubApi.StartAsync(
            submit: null,
            list: null,
            cancel: StubResponse.Problem(409, "Feature already finished", "The feature is Completed."));

        var result = await CliRunner.RunAsync(["cancel", Id, "--api", api.Url]);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("error: Feature already finished (HTTP 409): The feature is Completed.", Assert.Single(result.StderrLines));
    }

    [Fact]
    public async Task Non_json_error_body_is_still_one_line()
    {
        await using var api = await StubApi.StartAsync(
            submit: null,
            list: new StubResponse(500, "<html>\n<body>Internal error</body>\n</html>", "text/html"),
            cancel: null);

        var result = await CliRunner.RunAsync(["list", "--api", api.Url]);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("error: Internal Server Error (HTTP 500): <html> <body>Internal error</body> </html>", Assert.Single(result.StderrLines));
    }
}
