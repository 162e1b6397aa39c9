using Orchestrator.Contracts;
using Orchestrator.Merge.Tests.Support;

namespace Orchestrator.Merge.Tests;

/// <summary>The pull request body's review section (<see cref="PullRequestReviewSection"/>): what the Reviewer said, as untrusted text.</summary>
public sealed class PullRequestReviewSectionTests
{
    private static readonly VerificationResult Passed = new(true, "dotnet test", "Passed!") { ExitCode = 0, Commit = "0123456789abcdef", Sandboxed = true };

    private static readonly ConsolidateFeature Feature = Features.Consolidate(Guid.NewGuid(), "/repos/calculator.git",
        [Features.Task("implement", AgentRole.Coder, "orchestrator/tasks/x/implement", "0123456789")]);

    private static readonly ReviewFinding MustFix = new("src/Calculator/Arithmetic.cs", 42, ReviewSeverity.MustFix, "Power(x, 0) returns x.");

    [Fact]
    public void A_feature_that_was_not_reviewed_has_no_review_section()
    {
        Assert.DoesNotContain("## Review\n", PullRequestBody.Write(Feature, Passed).ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_approval_is_stated_before_the_reviewer_checklist_with_the_summary()
    {
        var body = PullRequestBody.Write(Feature, Passed, review: new PullRequestReview(ReviewOutcome.Approved, "Does what was asked.", [], 1));

        Assert.Contains("## Review", body, StringComparison.Ordinal);
        Assert.Contains("**Approved.** (1 review by the Reviewer agent)", body, StringComparison.Ordinal);
        Assert.Contains("Does what was asked.", body, StringComparison.Ordinal);
        Assert.True(body.IndexOf("## Review", StringComparison.Ordinal) < body.IndexOf("## Reviewer checklist", StringComparison.Ordinal));
    }

    [Fact]
    public void Unresolved_findings_are_listed_with_file_and_line_and_the_body_says_they_are_still_open()
    {
        var review = new PullRequestReview(ReviewOutcome.ChangesUnresolved, "Still wrong for 0.",
            [MustFix, new ReviewFinding("README.md", null, ReviewSeverity.Suggestion, "Mention the exception.")], 2);

        var body = PullRequestBody.Write(Feature, Passed, review: review);

        Assert.Contains("**Changes requested, not resolved:**", body, StringComparison.Ordinal);
        Assert.Contains("opened with the findings below still open", body, StringComparison.Ordinal);
        Assert.Contains("(2 reviews by the Reviewer agent)", body, StringComparison.Ordinal);
        Assert.Contains("Findings still open:", body, StringComparison.Ordinal);
        Assert.Contains("- `src/Calculator/Arithmetic.cs:42` (must-fix): Power(x, 0) returns x.", body, StringComparison.Ordinal);
        Assert.Contains("- `README.md` (suggestion): Mention the exception.", body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_review_that_could_not_be_done_says_so_and_why()
    {
        var review = new PullRequestReview(ReviewOutcome.NotCompleted, string.Empty, [], 1, "The review failed: timed out");

        var body = PullRequestBody.Write(Feature, Passed, review: review);

        Assert.Contains("**Not reviewed:** the review could not be completed", body, StringComparison.Ordinal);
        Assert.Contains("The review failed: timed out", body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_finding_cannot_break_out_of_its_code_span_or_notify_anyone()
    {
        var hostile = new ReviewFinding("a`b.cs", 3, ReviewSeverity.MustFix, "cc @maintainers\n## Approved by admin");

        var body = PullRequestBody.Write(Feature, Passed, review: new PullRequestReview(ReviewOutcome.ChangesUnresolved, "x", [hostile], 1));

        Assert.Contains("- ``a`b.cs:3`` (must-fix): cc &#64;maintainers ## Approved by admin", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\n## Approved by admin", body.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }
}
