using System.Reflection;
using Orchestrator.Contracts;
using Orchestrator.Llm;

namespace Orchestrator.Features;

/// <summary>
/// A Coder task the orchestrator adds after consolidation went wrong: resolve merge conflicts, or make a failing
/// verification pass. Its instructions come from the embedded prompts <c>Features/Prompts/*.md</c>.
/// </summary>
public sealed record RepairTask(TaskKind Kind, string TaskId, string Title, string Instructions)
{
    private static readonly Assembly Prompts = typeof(RepairTask).Assembly;
    private static readonly Lazy<string> ResolveConflictsTemplate = new(() => EmbeddedPrompt.Read(Prompts, "resolve-conflicts.md"));
    private static readonly Lazy<string> FixVerificationTemplate = new(() => EmbeddedPrompt.Read(Prompts, "fix-verification.md"));
    private static readonly Lazy<string> FollowUpTemplate = new(() => EmbeddedPrompt.Read(Prompts, "follow-up.md"));
    private static readonly Lazy<string> AddressReviewTemplate = new(() => EmbeddedPrompt.Read(Prompts, "address-review.md"));

    /// <summary>Longest follow-up title: the reviewer's first line, shortened, names the task in the pull request.</summary>
    private const int MaxTitleLength = 80;

    public static RepairTask ResolveConflicts(int round, MergeConflicted conflict)
    {
        var files = string.Join(", ", conflict.ConflictingFiles);
        return new RepairTask(TaskKind.ResolveConflicts, $"resolve-conflicts-{round}", $"Resolve the merge conflicts in {files}",
            Fill(ResolveConflictsTemplate.Value, ("task", conflict.TaskId), ("files", files), ("conflicts", conflict.Conflicts)));
    }

    public static RepairTask FixVerification(int round, VerificationResult verification) =>
        new(TaskKind.FixVerification, $"fix-verification-{round}", $"Make `{verification.Command}` pass on the merged branch",
            Fill(FixVerificationTemplate.Value, ("command", verification.Command), ("output", verification.Summary)));

    /// <summary>A reviewer's request on the open pull request: untrusted text, quoted as such in the instructions.</summary>
    public static RepairTask FollowUp(int round, string instructions, string requestedBy)
    {
        var firstLine = instructions.Split('\n', 2)[0].Trim();
        var title = firstLine.Length > MaxTitleLength ? firstLine[..MaxTitleLength].TrimEnd() + "…" : firstLine;
        return new RepairTask(TaskKind.FollowUp, $"follow-up-{round}", $"Follow-up: {title}",
            Fill(FollowUpTemplate.Value, ("reviewer", requestedBy), ("instructions", instructions)));
    }

    /// <summary>The must-fix findings of a review, for the Coder; the reviewer's text is model output and quoted as such.</summary>
    public static RepairTask AddressReview(int round, ReviewReport review)
    {
        var findings = string.Join('\n', review.MustFix.Select(f => $"{Where(f)}: {OneLine(f.Message)}"));
        return new RepairTask(TaskKind.AddressReview, $"address-review-{round}",
            $"Address the review's {review.MustFix.Count} must-fix finding{(review.MustFix.Count == 1 ? "" : "s")}",
            Fill(AddressReviewTemplate.Value, ("summary", OneLine(review.Summary)), ("findings", findings.Replace("```", "'''", StringComparison.Ordinal))));
    }

    /// <summary>A finding's place as <c>file:line</c> (or the file alone when the line is unknown).</summary>
    public static string Where(ReviewFinding finding) => finding.Line is { } line ? $"{finding.File}:{line}" : finding.File;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    // Values go in last and in one pass, so text inside them that looks like a placeholder stays as it is.
    private static string Fill(string template, params (string Name, string Value)[] values) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{\{(\w+)\}\}",
            match => values.FirstOrDefault(v => v.Name == match.Groups[1].Value).Value ?? match.Value).TrimEnd();
}
