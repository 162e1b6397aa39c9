using Orchestrator.Contracts;
using Orchestrator.Planning;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests;

/// <summary>A plan cannot give work to the Reviewer or take the ids of the reviews and their fix rounds.</summary>
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
        ]);

        var problems = PlanValidator.Validate(plan);

        Assert.Contains("task 'check' has role reviewer, which reviews the verified result and takes no plan task", problems);
        Assert.Contains("task id 'review-1' is reserved for the review and its fix rounds", problems);
        Assert.Contains("task id 'address-review-2' is reserved for the review and its fix rounds", problems);
        Assert.DoesNotContain(problems, p => p.Contains("'implement'", StringComparison.Ordinal));
    }
}
