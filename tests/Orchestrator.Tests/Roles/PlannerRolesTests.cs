using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Messaging.Roles;
using Orchestrator.Planning;
using Orchestrator.Testing;

namespace Orchestrator.Tests.Roles;

/// <summary>The planner is told which roles exist, and its plans may use exactly the plannable ones.</summary>
public sealed class PlannerRolesTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = Eventually.DefaultTimeout;

    private static readonly Dictionary<string, string?> WithOps = new()
    {
        ["Roles:ops:Description"] = "edits CI workflows and deployment files.\nNever application code.",
        ["Roles:ops:SystemPrompt"] = "You are ops.",
    };

    private static AgentRoles RolesOf(IDictionary<string, string?> settings)
    {
        var options = new AgentRolesOptions();
        options.Roles["ops"] = new AgentRoleSettings { Description = settings["Roles:ops:Description"], SystemPrompt = settings["Roles:ops:SystemPrompt"] };
        return new AgentRoles(options);
    }

    private static ParsedPlan PlanWith(string role) => new("Deploy", "s", null,
    [
        new PlannedTask("implement", AgentRole.Coder, "Implement", "Write it", []),
        new PlannedTask("ci", AgentRole.Parse(role), "CI", "Run it in CI", []),
    ]);

    [Fact]
    public void The_text_lists_each_plannable_role_with_its_description_on_one_line()
    {
        var text = new PlannerRoles(RolesOf(WithOps)).Text;

        Assert.Contains("- `coder`: implements production code.\n", text, StringComparison.Ordinal);
        Assert.Contains("- `tester`: writes tests, test-first, from the interface.\n", text, StringComparison.Ordinal);
        Assert.Contains("- `docs`: updates documentation (README, docs/).\n", text, StringComparison.Ordinal);
        Assert.Contains("- `ops`: edits CI workflows and deployment files. Never application code.\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("reviewer", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_may_use_a_configured_role_only_where_it_is_configured()
    {
        Assert.Empty(PlanValidator.Validate(PlanWith("ops"), RolesOf(WithOps)));

        var problem = Assert.Single(PlanValidator.Validate(PlanWith("ops")));
        Assert.Equal("task 'ci' has role 'ops', which is not one of the roles: coder, tester, docs", problem);
        // The reviewer is a role, but no plannable one: the plan is told why.
        Assert.Equal("task 'ci' has role reviewer, which reviews the verified result and takes no plan task", Assert.Single(PlanValidator.Validate(PlanWith("reviewer"), RolesOf(WithOps))));
    }

    [Fact]
    public async Task The_planner_is_told_the_configured_roles_and_plans_a_task_for_one()
    {
        await using var rig = await ModelRig.StartAsync(output, settings: WithOps, configure: services =>
            services.AddMassTransitTestHarness(x =>
            {
                x.DisableUsageTelemetry();
                x.AddPlanner();
            }));
        var harness = rig.Services.GetRequiredService<ITestHarness>();
        await harness.Start().WaitAsync(Timeout, TestContext.Current.CancellationToken);
        rig.StandIn.Enqueue(StandInReply.Json(new
        {
            title = "Build in CI",
            summary = "s",
            @interface = "",
            tasks = new object[]
            {
                new { id = "implement", role = "coder", title = "Implement", instructions = "Write it.", dependsOn = Array.Empty<string>() },
                new { id = "ci", role = "ops", title = "CI", instructions = "Add a workflow.", dependsOn = Array.Empty<string>() },
            },
        }));

        var featureId = NewId.NextGuid();
        await harness.Bus.Publish(new PlanFeature(featureId, "/repos/calculator.git", "main", "Build it in CI.", rig.Llm), TestContext.Current.CancellationToken);
        var planned = await harness.PublishedAsync<FeaturePlanned>(p => p.FeatureId == featureId, Timeout);

        Assert.Equal([AgentRole.Coder, new AgentRole("ops")], planned.Tasks.Select(t => t.Role));
        var request = Assert.Single(rig.StandIn.Requests);
        Assert.Contains(request.Messages, m => m.Role == "system" && m.Content!.Contains("- `ops`: edits CI workflows", StringComparison.Ordinal));
    }
}
