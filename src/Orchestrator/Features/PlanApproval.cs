using Orchestrator.Contracts;
using Orchestrator.Messaging.Roles;
using Orchestrator.Planning;

namespace Orchestrator.Features;

/// <summary>
/// The rules of an approval, shared by the HTTP API (which refuses with a 400) and the saga (which ignores an approval
/// from the bus that breaks them): an edited plan is checked exactly like a planner's plan, and a larger budget must
/// exceed what the feature has spent. Pure: no messages, no clock.
/// </summary>
public static class PlanApproval
{
    /// <summary>The problems of an edited plan (<see cref="PlanValidator"/>'s); none means it may replace the planner's.</summary>
    public static IReadOnlyList<string> ProblemsOf(EditedPlan plan, AgentRoles roles) =>
        PlanValidator.Validate(new ParsedPlan(plan.Title, plan.Summary, plan.Interface, plan.Tasks ?? []), roles);

    /// <summary>What is wrong with a new budget for a feature that has spent <paramref name="spent"/> tokens, if anything.</summary>
    public static string? BudgetProblem(long budget, long spent) =>
        budget > spent ? null : $"The token budget must be more than the {spent} tokens the feature has already spent.";

    /// <summary>A parsed plan as an approval carries it.</summary>
    public static EditedPlan ToEdited(ParsedPlan plan) =>
        new(plan.Title ?? string.Empty, plan.Summary ?? string.Empty, plan.Interface, plan.Tasks);

    /// <summary>
    /// The plan with what nobody can see taken out of its text, as from a request: a person's edit reaches every agent's
    /// prompt and the pull request.
    /// </summary>
    public static EditedPlan Cleaned(EditedPlan plan) => new(
        UntrustedText.StripHidden(plan.Title),
        UntrustedText.StripHidden(plan.Summary),
        plan.Interface is null ? null : UntrustedText.StripHidden(plan.Interface),
        plan.Tasks.Select(t => t with
        {
            Title = UntrustedText.StripHidden(t.Title),
            Instructions = UntrustedText.StripHidden(t.Instructions),
            Files = [.. (t.Files ?? []).Select(UntrustedText.StripHidden)],
        }).ToList());
}
