using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Cli.Tests.Support;
using static Orchestrator.Cli.Tests.Support.FeatureJson;

namespace Orchestrator.Cli.Tests;

/// <summary>submit --approve-plan, approve and reject over real HTTP, and how watch shows a feature waiting for approval.</summary>
public sealed class ApprovalCommandsTests : IDisposable
{
    private const string Deadline = "2025-01-02T12:00:01+00:00";
    private readonly string _folder = Directory.CreateTempSubdirectory("orchestrator-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Submit_approve_plan_asks_the_api_to_wait_for_approval_and_says_how_to_give_it()
    {
        await using var api = await StubApi.StartAsync(submit: StubResponse.Json(Feature("Planning"), 202), list: null, cancel: null);

        var result = await CliRunner.RunAsync(["submit", "--api", api.Url, "--repository", "https://example.invalid/c.git", "--request", "Add Power", "--approve-plan"]);
        var without = await CliRunner.RunAsync(["submit", "--api", api.Url, "--repository", "https://example.invalid/c.git", "--request", "Add Power"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"once planned, it waits for: orchestrator approve {Id} (or reject {Id})", result.StdoutLines);
        Assert.True(Body(api.Requests[0]).GetProperty("approvePlan").GetBoolean());
        Assert.Equal(0, without.ExitCode);
        Assert.Equal(JsonValueKind.Null, Body(api.Requests[1]).GetProperty("approvePlan").ValueKind);
    }

    [Fact]
    public async Task Submit_no_review_turns_the_review_off_and_without_it_the_server_decides()
    {
        await using var api = await StubApi.StartAsync(submit: StubResponse.Json(Feature("Planning"), 202), list: null, cancel: null);

        var result = await CliRunner.RunAsync(["submit", "--api", api.Url, "--repository", "https://example.invalid/c.git", "--request", "Add Power", "--no-review"]);
        var without = await CliRunner.RunAsync(["submit", "--api", api.Url, "--repository", "https://example.invalid/c.git", "--request", "Add Power"]);

        Assert.Equal(0, result.ExitCode);
        Assert.False(Body(api.Requests[0]).GetProperty("review").GetBoolean());
        Assert.Equal(0, without.ExitCode);
        Assert.Equal(JsonValueKind.Null, Body(api.Requests[1]).GetProperty("review").ValueKind);
    }

    [Fact]
    public async Task Approve_sends_the_edited_plan_from_its_file_and_the_budget()
    {
        await using var api = await StubApi.StartAsync(submit: null, list: null, cancel: null);
        api.Approve = StubResponse.Json(AwaitingApproval(), 202);
        var planFile = Path.Combine(_folder, "plan.json");
        await File.WriteAllTextAsync(planFile, """{ "title": "Edited", "tasks": [ { "id": "a", "role": "coder" } ] }""", TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync(["approve", Id, "--plan", planFile, "--token-budget", "50000", "--api", api.Url]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([$"approval sent for feature {Id} (state AwaitingApproval)", $"follow it with: orchestrator watch {Id}"], result.StdoutLines);
        var request = Assert.Single(api.Requests);
        Assert.Equal($"/features/{Id}/approve", request.Path);
        var body = Body(request);
        Assert.Equal("Edited", body.GetProperty("plan").GetProperty("title").GetString());
        Assert.Equal("coder", body.GetProperty("plan").GetProperty("tasks")[0].GetProperty("role").GetString());
        Assert.Equal(50_000, body.GetProperty("tokenBudget").GetInt64());
    }

    [Fact]
    public async Task Approve_without_options_sends_an_empty_object_and_json_prints_the_answer_unchanged()
    {
        await using var api = await StubApi.StartAsync(submit: null, list: null, cancel: null);
        api.Approve = StubResponse.Json(AwaitingApproval(), 202);

        var result = await CliRunner.RunAsync(["approve", Id, "--json", "--api", api.Url]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(AwaitingApproval().ToJsonString(), result.Stdout.TrimEnd());
        Assert.Equal("{}", Assert.Single(api.Requests).Body);
    }

    [Theory]
    [InlineData("missing.json", "cannot read the plan file")]
    [InlineData("broken.json", "is not valid JSON")]
    [InlineData("array.json", "must hold one JSON object")]
    public async Task A_plan_file_that_cannot_be_sent_is_one_line_and_exit_3_without_a_request(string name, string expected)
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "broken.json"), "{ \"title\": ", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_folder, "array.json"), "[1, 2]", TestContext.Current.CancellationToken);
        await using var api = await StubApi.StartAsync(submit: null, list: null, cancel: null);

        var result = await CliRunner.RunAsync(["approve", Id, "--plan", Path.Combine(_folder, name), "--api", api.Url]);

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("error: ", Assert.Single(result.StderrLines));
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("lots")]
    public async Task A_token_budget_that_is_not_a_positive_number_is_a_usage_error(string budget)
    {
        var result = await CliRunner.RunAsync(["approve", Id, "--token-budget", budget]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"--token-budget needs a positive whole number, not '{budget}'", result.StderrLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reject_sends_the_reason_and_a_conflict_is_one_line_and_exit_3()
    {
        await using var api = await StubApi.StartAsync(submit: null, list: null, cancel: null);
        api.Reject = StubResponse.Json(AwaitingApproval(), 202);

        var rejected = await CliRunner.RunAsync(["reject", Id, "--reason", "too big", "--api", api.Url]);
        api.Reject = StubResponse.Problem(409, "Feature not awaiting approval", "Feature is Executing; only a feature awaiting approval can be rejected.");
        var conflict = await CliRunner.RunAsync(["reject", Id, "--api", api.Url]);

        Assert.Equal(0, rejected.ExitCode);
        Assert.Equal($"rejection sent for feature {Id} (state AwaitingApproval); it ends Failed", Assert.Single(rejected.StdoutLines));
        Assert.Equal("too big", Body(api.Requests[0]).GetProperty("reason").GetString());
        Assert.Equal(3, conflict.ExitCode);
        Assert.Equal(
            "error: Feature not awaiting approval (HTTP 409): Feature is Executing; only a feature awaiting approval can be rejected.",
            Assert.Single(conflict.StderrLines));
    }

    [Fact]
    public async Task Watch_keeps_watching_a_feature_awaiting_approval_and_says_how_to_approve_it()
    {
        await using var api = await StubApi.ServingFeatureAsync(
            StubResponse.Json(Feature("Planning")),
            StubResponse.Json(AwaitingApproval()),
            StubResponse.Json(AwaitingApproval()),
            StubResponse.Json(Feature("Executing", Task("implement-power", "coder", "Running", 1))),
            StubResponse.Json(Finished("Failed", "boom")));

        var result = await CliRunner.RunAsync(["watch", Id, "--interval-ms", "20", "--api", api.Url]);

        Assert.Equal(1, result.ExitCode);
        var approval = Assert.Single(result.StdoutLines, l => l.Contains("waits for its plan to be approved", StringComparison.Ordinal));
        Assert.EndsWith(
            $"feature {Id} waits for its plan to be approved until 2025-01-02 12:00:01 +00:00: orchestrator approve {Id} [--plan <file.json>], " +
            $"or: orchestrator reject {Id} --reason <text>", approval, StringComparison.Ordinal);
        Assert.Contains(result.StdoutLines, l => l.EndsWith($"feature {Id} Executing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_and_the_live_table_show_a_feature_waiting_for_a_larger_budget_and_the_command_that_raises_it()
    {
        var waiting = Feature("AwaitingBudget", Task("implement-power", "coder", "Failed", 1, failureReason: "budget exceeded"));
        waiting["approvalDeadline"] = Deadline;
        waiting["tokenBudget"] = 1000;
        waiting["usage"] = new JsonObject { ["inputTokens"] = 900, ["outputTokens"] = 115, ["calls"] = 3 };
        await using var api = await StubApi.ServingFeatureAsync(
            StubResponse.Json(waiting), StubResponse.Json(waiting), StubResponse.Json(Finished("Cancelled", "stop")));

        var status = await CliRunner.RunAsync(["status", Id, "--api", api.Url]);
        var table = await CliRunner.RunInTerminalAsync(["watch", Id, "--interval-ms", "20", "--api", api.Url]);

        var expected = $"spent 1015 of its 1000 tokens and waits for a larger budget until 2025-01-02 12:00:01 +00:00: " +
                       $"orchestrator approve {Id} --token-budget <tokens>";
        Assert.Contains(status.StdoutLines, l => l.StartsWith("approval ", StringComparison.Ordinal) && l.Contains(expected, StringComparison.Ordinal));
        Assert.Equal(2, table.ExitCode);
        Assert.Contains("--token-budget <tokens>", table.Terminal, StringComparison.Ordinal);
    }

    private static JsonObject AwaitingApproval()
    {
        var feature = Feature("AwaitingApproval", Task("implement-power", "coder", "Pending"));
        feature["approvalDeadline"] = Deadline;
        return feature;
    }

    private static JsonElement Body(RecordedRequest request) => JsonDocument.Parse(request.Body).RootElement.Clone();
}
