using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Testing;

namespace Orchestrator.Security.Tests.Planning;

/// <summary>
/// Plans a model (prompt-injected, or just broken) could answer with, sent through the real planner and model client
/// from an OpenAI-compatible server: each is rejected naming the problem, and the rejection itself stays short —
/// it becomes the feature's failure reason, shown by every read of the feature and sent back to the model.
/// </summary>
public sealed class PlanPayloads(ITestOutputHelper output)
{
    private const int MaxRejectionLength = 2_000;
    private static readonly string Huge = new('x', 100_000);

    /// <summary>Payload name → (how the valid plan is changed, what the rejection names).</summary>
    private static readonly Dictionary<string, (Action<JsonObject> Change, string Problem)> Payloads = new()
    {
        ["100,000-character summary"] = (plan => plan["summary"] = Huge, "the plan's summary is longer than 4000 characters"),
        ["100,000-character interface"] = (plan => plan["interface"] = Huge, "the plan's interface is longer than 8000 characters"),
        ["100,000-character title"] = (plan => plan["title"] = Huge, "the plan's title is longer than 200 characters"),
        ["100,000-character task title"] = (plan => FirstTask(plan)["title"] = Huge, "task 'implement' has a title longer than 200 characters"),
        ["100,000-character instructions"] = (plan => FirstTask(plan)["instructions"] = Huge, "task 'implement' has instructions longer than 8000 characters"),
        ["100,000-character task id"] = (plan => FirstTask(plan)["id"] = Huge, "must be 1-40 lower-case letters"),
        ["100,000-character role"] = (plan => FirstTask(plan)["role"] = Huge, "which is not a role name"),
        ["1,000 tasks"] = (plan => plan["tasks"] = new JsonArray([.. Enumerable.Range(0, 1_000).Select(i => TaskNode($"t{i}"))]), "at most 12 are allowed"),
        ["10,000 unknown dependencies"] = (plan => FirstTask(plan)["dependsOn"] = new JsonArray([.. Enumerable.Range(0, 10_000).Select(i => JsonValue.Create($"d{i}"))]), "depends on unknown task 'd0'"),
        ["task id with traversal"] = (plan => FirstTask(plan)["id"] = "../../etc", "task id '../../etc' must be 1-40 lower-case letters"),
        ["task id with a trailing line break"] = (plan => FirstTask(plan)["id"] = "implement\n", "must be 1-40 lower-case letters"),
    };

    public static TheoryData<string> Names => new(Payloads.Keys);

    private static JsonObject FirstTask(JsonObject plan) => plan["tasks"]![0]!.AsObject();

    private static JsonObject TaskNode(string id) => new()
    {
        ["id"] = id,
        ["role"] = "coder",
        ["title"] = "Implement Power",
        ["instructions"] = "Add Power to Arithmetic.",
        ["dependsOn"] = new JsonArray(),
    };

    private static JsonObject ValidPlan() => new()
    {
        ["title"] = "Add Power",
        ["summary"] = "Adds Arithmetic.Power.",
        ["interface"] = "public static double Power(double x, int n)",
        ["tasks"] = new JsonArray(TaskNode("implement")),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task The_plan_is_rejected_naming_the_problem_in_a_bounded_reason(string payload)
    {
        var (change, problem) = Payloads[payload];
        var plan = ValidPlan();
        change(plan);

        var (planned, rejected) = await PlanAsync(plan.ToJsonString());

        Assert.Null(planned);
        Assert.NotNull(rejected);
        Assert.Contains(problem, rejected.Reason, StringComparison.Ordinal);
        Assert.True(rejected.Reason.Length <= MaxRejectionLength, $"the rejection is {rejected.Reason.Length} characters");
    }

    [Fact]
    public async Task Control_the_unchanged_plan_is_planned()
    {
        var (planned, rejected) = await PlanAsync(ValidPlan().ToJsonString());

        Assert.Null(rejected);
        Assert.Equal("Adds Arithmetic.Power.", planned?.Summary);
    }

    private async Task<(FeaturePlanned? Planned, FeaturePlanRejected? Rejected)> PlanAsync(string reply)
    {
        await using var rig = await ModelRig.StartAsync(output, settings: new Dictionary<string, string?> { ["Planner:MaxAttempts"] = "1" },
            configure: services => services.AddMassTransitTestHarness(x =>
            {
                x.DisableUsageTelemetry();
                x.AddPlanner();
            }));
        rig.StandIn.Enqueue(StandInReply.Text(reply));
        var harness = rig.Services.GetRequiredService<ITestHarness>();
        await harness.Start().WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);

        var featureId = NewId.NextGuid();
        await harness.Bus.Publish(new PlanFeature(featureId, "/repos/calculator.git", "main", "Add a Power function.", rig.Llm));
        var outcome = await harness.OutcomeAsync(message => message switch
        {
            FeaturePlanned p => p.FeatureId == featureId,
            FeaturePlanRejected r => r.FeatureId == featureId,
            Fault<PlanFeature> f => f.Message.FeatureId == featureId,
            _ => false,
        }, $"planning feature {featureId}");
        return (outcome as FeaturePlanned, outcome as FeaturePlanRejected);
    }
}
