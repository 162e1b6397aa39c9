using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Features;
using Orchestrator.Contracts;
using Orchestrator.Llm.Context;
using Orchestrator.Testing;

namespace Orchestrator.Tests;

/// <summary>The planner consumer on MassTransit's in-memory harness, against the OpenAI-compatible stand-in.</summary>
public sealed class PlannerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = Eventually.DefaultTimeout;

    private static readonly object ValidPlan = new
    {
        title = "Add Power",
        summary = "Adds Arithmetic.Power.",
        @interface = "public static double Power(double x, int n)",
        tasks = new object[]
        {
            new { id = "implement-power", role = "coder", title = "Implement Power", instructions = "Add Power to Arithmetic.", dependsOn = Array.Empty<string>() },
            new { id = "test-power", role = "tester", title = "Test Power", instructions = "Test Power.", dependsOn = new[] { "implement-power" } },
        },
    };

    private sealed record Result(FeaturePlanned? Planned, FeaturePlanRejected? Rejected, IReadOnlyList<StandInRequest> Requests);

    private async Task<(ModelRig Rig, Func<Task<Result>> Plan)> StartAsync(IDictionary<string, string?>? settings = null, string? script = null)
    {
        var rig = await ModelRig.StartAsync(output, settings: settings, configure: services =>
            services.AddMassTransitTestHarness(x =>
            {
                x.DisableUsageTelemetry();
                x.AddPlanner();
            }));
        var harness = rig.Services.GetRequiredService<ITestHarness>();
        await harness.Start().WaitAsync(Timeout, TestContext.Current.CancellationToken);

        async Task<Result> Plan()
        {
            var featureId = NewId.NextGuid();
            var model = script is null ? rig.Llm : rig.Devices.Script(script);
            await harness.Bus.Publish(new PlanFeature(featureId, "/repos/calculator.git", "main", "Add a Power function.", model));
            var outcome = await harness.OutcomeAsync(m => m switch
            {
                FeaturePlanned p => p.FeatureId == featureId,
                FeaturePlanRejected r => r.FeatureId == featureId,
                Fault<PlanFeature> f => f.Message.FeatureId == featureId,
                _ => false,
            }, $"planning feature {featureId}", timeout: Timeout);
            var planned = outcome as FeaturePlanned;
            var rejected = outcome as FeaturePlanRejected;
            return new Result(planned, rejected, rig.StandIn.Requests);
        }

        return (rig, Plan);
    }

    // The last thing the planner was told, before the budget notice every request ends with.
    private static string LastUserMessage(StandInRequest request) =>
        request.Messages.Last(m => m.Role == "user" && m.Content?.StartsWith(BudgetNoticeChatClient.Prefix, StringComparison.Ordinal) != true).Content ?? "";

    [Fact]
    public async Task A_valid_plan_is_planned_and_the_request_asks_for_the_plan_schema()
    {
        var (rig, plan) = await StartAsync();
        await using var _ = rig;
        rig.StandIn.Enqueue(StandInReply.Json(ValidPlan) with { Usage = new(300, 80) });

        var result = await plan().WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.NotNull(result.Planned);
        Assert.Null(result.Rejected);
        Assert.Equal(["implement-power", "test-power"], result.Planned.Tasks.Select(t => t.TaskId));
        Assert.Equal(new TokenUsage(300, 80, 1), result.Planned.Usage);
        var format = Assert.Single(result.Requests).ResponseFormat;
        Assert.NotNull(format);
        Assert.Equal("json_schema", format.Value.GetProperty("type").GetString());
        var schema = format.Value.GetProperty("json_schema");
        Assert.Equal("feature_plan", schema.GetProperty("name").GetString());
        Assert.True(schema.GetProperty("strict").GetBoolean());
        Assert.Equal(JsonValueKind.Object, schema.GetProperty("schema").GetProperty("properties").GetProperty("tasks").ValueKind);
    }

    [Fact]
    public async Task A_malformed_plan_is_sent_back_with_its_problems_until_a_valid_one_comes()
    {
        var (rig, plan) = await StartAsync();
        await using var _ = rig;
        rig.StandIn.Enqueue(
            StandInReply.Text("Sure! Here is the plan: {\"title\": \"Add Power\", \"tasks\": [ oops ]} Hope it helps."),
            StandInReply.Text("""{"title": "Add Power", "tasks": [{"id": "Implement Power", "role": "coder", "title": "t", "instructions": "i", "dependsOn": []}]}"""),
            StandInReply.Text("```json\n" + JsonSerializer.Serialize(ValidPlan) + "\n```"));

        var result = await plan().WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.NotNull(result.Planned);
        Assert.Equal(3, result.Requests.Count);
        Assert.Contains("not valid plan JSON", LastUserMessage(result.Requests[1]), StringComparison.Ordinal);
        Assert.Contains("task id 'Implement Power' must be 1-40 lower-case letters", LastUserMessage(result.Requests[2]), StringComparison.Ordinal);
        // The model sees its own invalid answer before the correction (and the notice of what it has left).
        Assert.Equal("assistant", result.Requests[2].Messages[^3].Role);
        Assert.StartsWith(BudgetNoticeChatClient.Prefix, result.Requests[2].Messages[^1].Content, StringComparison.Ordinal);
        Assert.Equal(3, result.Planned.Usage.Calls);
    }

    [Fact]
    public async Task A_plan_request_delivered_again_gets_the_first_answer_without_asking_the_model_again()
    {
        var (rig, _) = await StartAsync();
        await using var __ = rig;
        rig.StandIn.Fallback = _ => StandInReply.Json(ValidPlan) with { Usage = new(300, 80) };
        var harness = rig.Services.GetRequiredService<ITestHarness>();
        var request = new PlanFeature(NewId.NextGuid(), "/repos/calculator.git", "main", "Add a Power function.", rig.Llm);

        await harness.Bus.Publish(request, TestContext.Current.CancellationToken);
        await harness.Bus.Publish(request, TestContext.Current.CancellationToken);

        bool Concerns(object m) => m is FeaturePlanned p && p.FeatureId == request.FeatureId;
        var first = (FeaturePlanned)await harness.OutcomeAsync(Concerns, "the plan", occurrence: 1, Timeout);
        var second = (FeaturePlanned)await harness.OutcomeAsync(Concerns, "the plan again", occurrence: 2, Timeout);
        Assert.Single(rig.StandIn.Requests);
        Assert.Equal(first.Usage, second.Usage);
        Assert.Equal(first.Tasks.Select(t => t.TaskId), second.Tasks.Select(t => t.TaskId));
    }

    [Fact]
    public async Task A_plan_that_stays_invalid_is_rejected_with_the_problems_after_the_attempts()
    {
        var (rig, plan) = await StartAsync(new Dictionary<string, string?> { ["Planner:MaxAttempts"] = "2" });
        await using var _ = rig;
        rig.StandIn.Fallback = _ => StandInReply.Text("I would split this into a coder task and a tester task.");

        var result = await plan().WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Null(result.Planned);
        Assert.NotNull(result.Rejected);
        Assert.Equal("the plan was invalid after 2 attempts: the planner's reply contains no JSON object", result.Rejected.Reason);
        Assert.Equal(2, result.Requests.Count);
        Assert.Equal(2, result.Rejected.Usage.Calls);
    }

    [Fact]
    public async Task A_server_error_storm_rejects_the_plan_naming_the_endpoint_failure()
    {
        var (rig, plan) = await StartAsync(new Dictionary<string, string?> { ["Models:MaxRetries"] = "2" });
        await using var _ = rig;
        rig.StandIn.Fallback = _ => StandInReply.ServerError();

        var result = await plan().WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.NotNull(result.Rejected);
        Assert.Equal("the model endpoint failed: 500 Internal Server Error after 2 retries", result.Rejected.Reason);
        Assert.Equal(3, result.Requests.Count);
        rig.AssertNoLogContains(OpenAiStandIn.DefaultKey);
    }

    [Fact]
    public async Task An_endpoint_that_refuses_the_schema_is_asked_again_without_it()
    {
        var (rig, plan) = await StartAsync();
        await using var _ = rig;
        rig.StandIn.Fallback = request => request.ResponseFormat is not null
            ? StandInReply.Error(400, "response_format 'json_schema' is not supported by this server")
            : StandInReply.Text("Here you go:\n" + JsonSerializer.Serialize(ValidPlan) + "\nGood luck!");

        var result = await plan().WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.NotNull(result.Planned);
        Assert.Equal(2, result.Requests.Count);
        Assert.NotNull(result.Requests[0].ResponseFormat);
        Assert.Null(result.Requests[1].ResponseFormat);
    }

    [Theory]
    [InlineData(false, "the plan was invalid after 1 attempt: the plan has no coder task")]
    [InlineData(true, null)]
    public async Task A_scripted_planner_gets_its_invalid_plan_back_and_may_correct_it(bool corrected, string? reason)
    {
        using var scripts = new TempDirectory();
        var invalid = JsonSerializer.Serialize(new
        {
            title = "Docs only",
            tasks = new[] { new { id = "docs", role = "docs", title = "t", instructions = "i", dependsOn = Array.Empty<string>() } },
        });
        var turns = corrected ? $"[{{ \"content\": {invalid} }}, {{ \"content\": {JsonSerializer.Serialize(ValidPlan)} }}]" : $"[{{ \"content\": {invalid} }}]";
        File.WriteAllText(Path.Combine(scripts.Path, "plan.json"), $"{{ \"agents\": {{ \"planner\": {turns} }} }}");
        var (rig, plan) = await StartAsync(new Dictionary<string, string?> { ["Models:ScriptsPath"] = scripts.Path }, script: "plan");
        await using var _ = rig;

        var result = await plan().WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(reason, result.Rejected?.Reason);
        Assert.Equal(corrected, result.Planned is not null);
        Assert.Empty(result.Requests); // the scripted model never calls the endpoint
    }
}
