using System.Globalization;
using System.Text;
using Orchestrator.Contracts;

namespace Orchestrator.Merge;

/// <summary>
/// The pull request's "Review" section: the Reviewer agent's verdict, summary and findings (<c>file:line</c>). All of it
/// is model output, so untrusted: inlined or fenced by <see cref="PullRequestText"/>, and bounded.
/// </summary>
public static class PullRequestReviewSection
{
    private const int MaxSummaryLength = 2_000;
    private const int MaxMessageLength = 500;
    private const int MaxFindings = 50;

    public static void Append(StringBuilder body, PullRequestReview review)
    {
        var invariant = CultureInfo.InvariantCulture;
        body.AppendLine("## Review").AppendLine()
            .AppendLine(string.Create(invariant, $"{Verdict(review)} ({Rounds(review.Rounds)} by the Reviewer agent)")).AppendLine();
        if (!string.IsNullOrWhiteSpace(review.Note))
        {
            body.AppendLine(PullRequestText.Fenced(review.Note, MaxSummaryLength)).AppendLine();
        }

        if (!string.IsNullOrWhiteSpace(review.Summary))
        {
            body.AppendLine(PullRequestText.Fenced(review.Summary, MaxSummaryLength)).AppendLine();
        }

        if (review.Findings.Count == 0)
        {
            return;
        }

        body.AppendLine(review.Outcome == ReviewOutcome.ChangesUnresolved ? "Findings still open:" : "Findings:").AppendLine();
        foreach (var finding in review.Findings.Take(MaxFindings))
        {
            var severity = finding.Severity == ReviewSeverity.MustFix ? "must-fix" : "suggestion";
            body.AppendLine($"- {PullRequestText.Code(Where(finding))} ({severity}): {Message(finding.Message)}");
        }

        if (review.Findings.Count > MaxFindings)
        {
            body.AppendLine(string.Create(invariant, $"- … and {review.Findings.Count - MaxFindings} more"));
        }

        body.AppendLine();
    }

    private static string Verdict(PullRequestReview review) => review.Outcome switch
    {
        ReviewOutcome.Approved => "**Approved.**",
        ReviewOutcome.ApprovedWithNotes => "**Approved with notes:** the suggestions below were not required.",
        ReviewOutcome.ChangesUnresolved =>
            "**Changes requested, not resolved:** the review fix rounds are used up, and this pull request was opened with the findings below still open.",
        _ => "**Not reviewed:** the review could not be completed; this pull request was opened without it.",
    };

    private static string Rounds(int rounds) => rounds == 1 ? "1 review" : $"{rounds} reviews";

    // A path from the model, shortened; PullRequestText.Code keeps it inside its code span.
    private static string Where(ReviewFinding finding)
    {
        var file = finding.File.Length > 200 ? finding.File[..200] : finding.File;
        return finding.Line is { } line ? string.Create(CultureInfo.InvariantCulture, $"{file}:{line}") : file;
    }

    private static string Message(string message)
    {
        var inline = PullRequestText.Inline(message).ReplaceLineEndings(" ").Trim();
        return inline.Length > MaxMessageLength ? inline[..MaxMessageLength] + "…" : inline;
    }
}
