using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Contracts;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Reviewer;

/// <summary>
/// The user message that opens a review: the request, the task in the fixed form stand-ins find it by
/// (<c>Your task (review-&lt;n&gt;): ...</c>), the plan, the shared interface, and the merged diff, bounded and fenced
/// so its content cannot close the block.
/// </summary>
public static partial class ReviewPrompt
{
    /// <summary>Most characters of the diff the prompt holds; the reviewer reads the rest with its tools.</summary>
    public const int MaxDiffChars = 60_000;

    public static string For(ReviewFeature review, string diff, bool diffCut, RepositoryInstructions? instructions = null)
    {
        var task = review.Task;
        var prompt = new StringBuilder()
            .AppendLine($"Feature request: {task.FeatureRequest}")
            .AppendLine()
            .AppendLine($"Your task ({task.TaskId}): {task.Title}")
            .AppendLine("Review the merged, verified result below against the request and the plan, and answer with the JSON object your instructions define.")
            .AppendLine()
            .AppendLine($"The plan: {review.PlanTitle}")
            .AppendLine(review.PlanSummary)
            .AppendLine("Its tasks:");
        foreach (var planned in review.PlanTasks)
        {
            prompt.AppendLine($"- {planned}");
        }

        if (!string.IsNullOrWhiteSpace(task.Interface))
        {
            prompt.AppendLine().AppendLine("Shared interface (the plan's contract between Coder and Tester):").AppendLine(task.Interface);
        }

        var fence = new string('`', Math.Max(3, BacktickRuns().Matches(diff).Select(m => m.Length).DefaultIfEmpty(0).Max() + 1));
        prompt.AppendLine()
            .AppendLine($"The merged diff against {task.BaseBranch} (commit {review.Commit}, without context lines; your workspace holds the whole result):")
            .AppendLine($"{fence}diff")
            .AppendLine(diff.TrimEnd())
            .AppendLine(fence);
        if (diffCut)
        {
            prompt.AppendLine($"(The diff was cut at {MaxDiffChars:N0} characters: read the remaining files with your tools.)");
        }

        if (instructions is { Files.Count: > 0 })
        {
            prompt.AppendLine().Append(instructions.ToPrompt());
        }

        return prompt.ToString();
    }

    /// <summary>The files a diff changes, by its <c>diff --git a/… b/…</c> headers.</summary>
    public static IReadOnlyList<string> FilesIn(string diff) =>
        [.. DiffHeaders().Matches(diff).Select(m => m.Groups["path"].Value).Distinct(StringComparer.Ordinal)];

    /// <summary>What the model is told when its answer was not a review, before it is asked once more.</summary>
    public static string Correction(string problem) =>
        $"That answer is not a valid review: {problem}.\nAnswer again with ONE JSON object of the required shape, and nothing else.";

    [GeneratedRegex("`+")]
    private static partial Regex BacktickRuns();

    [GeneratedRegex(@"^diff --git a/(?<path>\S+) b/", RegexOptions.Multiline)]
    private static partial Regex DiffHeaders();
}
