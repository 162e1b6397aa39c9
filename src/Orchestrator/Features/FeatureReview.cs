using Orchestrator.Contracts;

namespace Orchestrator.Features;

/// <summary>
/// The review of a feature as the saga keeps it (docs/decisions/0015-reviewer.md): which round it is in, the verified
/// commit under review, the last verdict and its findings, and how the pull request will state it.
/// </summary>
public sealed class FeatureReview
{
    /// <summary>Reviews started so far; the current one is <c>review-&lt;Rounds&gt;</c>.</summary>
    public int Rounds { get; set; }

    /// <summary>Fix rounds (<c>address-review-&lt;n&gt;</c>) started for the review's must-fix findings.</summary>
    public int FixRounds { get; set; }

    /// <summary>The work repository's branch holding the verified commit under review.</summary>
    public string? Branch { get; set; }

    /// <summary>The verification of the commit under review (its <see cref="VerificationResult.Commit"/>).</summary>
    public VerificationResult? Verification { get; set; }

    public ReviewVerdict? Verdict { get; set; }
    public string? Summary { get; set; }
    public List<ReviewFinding> Findings { get; set; } = [];

    /// <summary>How the review ended, once it did: what the pull request says.</summary>
    public ReviewOutcome? Outcome { get; set; }

    /// <summary>Why the review did not complete (<see cref="ReviewOutcome.NotCompleted"/>).</summary>
    public string? Note { get; set; }

    /// <summary>The merge service is asked to publish the reviewed commit, not to consolidate.</summary>
    public bool Publishing { get; set; }

    public string TaskId => $"review-{Rounds}";

    /// <summary>A new review round of the commit <paramref name="verified"/> pushed to <paramref name="branch"/>.</summary>
    public void Begin(string branch, VerificationResult verified)
    {
        Rounds++;
        Branch = branch;
        Verification = verified;
        Verdict = null;
        Summary = null;
        Findings = [];
        Outcome = null;
        Note = null;
    }

    public void Record(ReviewReport report)
    {
        Verdict = report.Verdict;
        Summary = report.Summary;
        Findings = [.. report.Findings];
    }

    /// <summary>The review is over: publish with <paramref name="outcome"/>.</summary>
    public void Conclude(ReviewOutcome outcome, string? note = null)
    {
        Outcome = outcome;
        Note = note;
        Publishing = true;
    }

    /// <summary>The review section of the pull request.</summary>
    public PullRequestReview Section() =>
        new(Outcome ?? ReviewOutcome.NotCompleted, Summary ?? string.Empty, [.. Findings], Rounds, Note);
}
