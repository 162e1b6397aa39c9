namespace Orchestrator.Contracts;

/// <summary>
/// What a feature waits to have approved (<see cref="FeatureAwaitingApproval.Subject"/>). Strings, not an enum: enums
/// travel as numbers, and other systems read this one.
/// </summary>
public static class ApprovalSubject
{
    /// <summary>The planner's plan, before any task is dispatched (state <c>AwaitingApproval</c>).</summary>
    public const string Plan = "plan";

    /// <summary>A larger token budget, after a task ran out of its share (state <c>AwaitingBudget</c>).</summary>
    public const string Budget = "budget";
}

/// <summary>
/// Published when a feature starts waiting for a person (or another system) to approve it: its plan, submitted with
/// <see cref="SubmitFeature.ApprovePlan"/>, or a larger budget. Answer with <see cref="ApproveFeature"/> or
/// <see cref="RejectFeature"/> before <paramref name="Deadline"/>; after it the feature fails.
/// </summary>
/// <param name="Tasks">The plan as it stands (what approval would dispatch).</param>
public sealed record FeatureAwaitingApproval(
    Guid FeatureId, string Subject, string? Title, IReadOnlyList<PlannedTask> Tasks, DateTimeOffset Deadline)
{
    /// <summary>The feature's token budget now.</summary>
    public long TokenBudget { get; init; }

    /// <summary>Tokens the feature has spent so far; a larger budget must exceed them.</summary>
    public long TokensUsed { get; init; }

    /// <summary>For a budget: why the feature would have failed (which task ran out).</summary>
    public string? Reason { get; init; }
}

/// <summary>
/// A plan as a person edited it: the shape the planner produces. The orchestrator validates it like a planner's plan
/// and ignores an approval whose plan is invalid (the HTTP API answers 400 instead of sending it).
/// </summary>
public sealed record EditedPlan(string Title, string Summary, string? Interface, IReadOnlyList<PlannedTask> Tasks);

/// <summary>
/// Approves a feature that waits (<see cref="FeatureAwaitingApproval"/>). While it waits for its plan: optionally with an
/// <see cref="Plan"/> that replaces the planner's, and optionally a new <see cref="TokenBudget"/>. While it waits for a
/// budget: <see cref="TokenBudget"/> is required and must exceed the tokens already spent; the task that ran out is
/// tried again. An approval the feature cannot take (not waiting, invalid plan, budget too small) changes nothing.
/// </summary>
/// <param name="ApprovedBy">Who approved (the API key's name, or the sending system), for the record.</param>
public sealed record ApproveFeature(Guid FeatureId, string ApprovedBy)
{
    public EditedPlan? Plan { get; init; }

    public long? TokenBudget { get; init; }
}

/// <summary>Rejects a feature that waits for approval: it ends <c>Failed</c> with the reason.</summary>
public sealed record RejectFeature(Guid FeatureId, string Reason, string RejectedBy);
