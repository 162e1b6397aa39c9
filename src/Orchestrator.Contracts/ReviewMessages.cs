namespace Orchestrator.Contracts;

/// <summary>What the Reviewer concluded.</summary>
public enum ReviewVerdict
{
    Approve,
    RequestChanges,
}

/// <summary>How much a finding matters: a must-fix one sends the feature to a fix round; a suggestion is only listed.</summary>
public enum ReviewSeverity
{
    MustFix,
    Suggestion,
}

/// <summary>One finding of a review, with where it is (<c>file:line</c>; the line may be unknown).</summary>
public sealed record ReviewFinding(string File, int? Line, ReviewSeverity Severity, string Message);

/// <summary>The Reviewer's answer: model output, untrusted text throughout.</summary>
public sealed record ReviewReport(ReviewVerdict Verdict, string Summary, IReadOnlyList<ReviewFinding> Findings)
{
    /// <summary>The findings that must be fixed before the feature may be published.</summary>
    public IReadOnlyList<ReviewFinding> MustFix => Findings.Where(f => f.Severity == ReviewSeverity.MustFix).ToList();
}

/// <summary>The merge service verified the merged result and pushed it for review; the pull request is not open yet.</summary>
/// <param name="ReviewBranch">The branch of the work repository holding <see cref="VerificationResult.Commit"/>.</param>
public sealed record FeatureVerified(Guid FeatureId, string ReviewBranch, VerificationResult Verification);

/// <summary>
/// Sent to the Reviewer: review <see cref="Commit"/> (on <see cref="TaskAssignment.Branch"/> of the work repository)
/// against the request, the plan and its interface. The reviewer reads and may run the tests; it never pushes.
/// </summary>
/// <param name="PlanTasks">The plan's tasks, one line each (<c>id (role): title</c>).</param>
public sealed record ReviewFeature(TaskAssignment Task, string Commit, string PlanTitle, string PlanSummary, IReadOnlyList<string> PlanTasks)
    : IAgentTaskCommand;

/// <summary>The Reviewer's answer for one review attempt. A review that could not be done is a <see cref="TaskFailed"/>.</summary>
public sealed record FeatureReviewed(Guid FeatureId, string TaskId, int Attempt, ReviewReport Review, TokenUsage Usage);

/// <summary>How a feature's review ended, as the pull request states it.</summary>
public enum ReviewOutcome
{
    /// <summary>Approved, with no findings.</summary>
    Approved,

    /// <summary>Approved with suggestions (or findings the reviewer did not insist on) listed.</summary>
    ApprovedWithNotes,

    /// <summary>Changes were requested and the fix rounds are used up: the findings are still open.</summary>
    ChangesUnresolved,

    /// <summary>The review could not be done (an invalid answer, a crash, no answer in time); the reason is given.</summary>
    NotCompleted,
}

/// <summary>The review section of a pull request body.</summary>
/// <param name="Rounds">Reviews held (fix rounds included).</param>
/// <param name="Note">Why the review did not complete, for <see cref="ReviewOutcome.NotCompleted"/>.</param>
public sealed record PullRequestReview(ReviewOutcome Outcome, string Summary, IReadOnlyList<ReviewFinding> Findings, int Rounds, string? Note = null);

/// <summary>
/// Asks the merge service to publish a reviewed feature: push the commit <see cref="ReviewBranch"/> was verified at
/// to the feature branch and open or update the pull request with the review section. No second verification: it is
/// refused when the review branch no longer points at the verified commit.
/// </summary>
public sealed record PublishReviewedFeature(ConsolidateFeature Feature, string ReviewBranch, VerificationResult Verification, PullRequestReview Review);
