using Orchestrator.Contracts;
using Orchestrator.Planning;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests;

/// <summary>A plan cannot give work to the Reviewer or take the ids of the tasks the orchestrator adds itself.</summary>
public sealed class ReviewPlanRulesTests
{
    [Fact]
    public void A_plan_task_for_the_reviewer_or_named_like_a_review_is_refused()
    {
        var plan = new ParsedPlan("t", "s", null,
        [
            Planned("implement", AgentRole.Coder),
            Planned("check", AgentRole.Reviewer),
            Planned("review-1", AgentRole.Tester),
            Planned("address-review-2", AgentRole.Coder),
            Planned("fix-verification-1", AgentRole.Coder),
            Planned("resolve-conflicts-3", AgentRole.Coder),
            Planned("follow-up-1", AgentRole.Coder),
            Planned("fix-verification-notes", AgentRole.Docs),
        ]);

        var problems = PlanValidator.Validate(plan);

        Assert.Contains("task 'check' has role reviewer, which reviews the verified result and takes no plan task", problems);
        foreach (var id in new[] { "review-1", "address-review-2", "fix-verification-1", "resolve-conflicts-3", "follow-up-1" })
        {
            Assert.Contains($"task id '{id}' is reserved for the tasks the orchestrator adds (reviews, fixes, conflict resolutions, follow-ups)", problems);
        }

        Assert.DoesNotContain(problems, p => p.Contains("'implement'", StringComparison.Ordinal) || p.Contains("'fix-verification-notes'", StringComparison.Ordinal));
    }
}
