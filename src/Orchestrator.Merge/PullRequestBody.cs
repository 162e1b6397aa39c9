using System.Globalization;
using System.Text;
using Orchestrator.Contracts;

namespace Orchestrator.Merge;

/// <summary>
/// The pull request body: what the reviewer needs, including what each agent did and how it was verified. Text from
/// the request, the planner and the agents is untrusted: it is quoted or fenced (<see cref="PullRequestText"/>).
/// </summary>
public static class PullRequestBody
{
    private const int MaxSummaryLength = 4_000;
    private const int MaxOutputLength = 8_000;

    /// <param name="publicUrl">The orchestrator's public address (<c>Orchestrator:PublicUrl</c>): each task then links to its transcript.</param>
    /// <param name="review">The Reviewer's outcome, for a feature that was reviewed (<see cref="PullRequestReviewSection"/>).</param>
    public static string Write(ConsolidateFeature feature, VerificationResult verification, Uri? publicUrl = null, PullRequestReview? review = null)
    {
        var body = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        if (feature.Model.IsScripted)
        {
            body.AppendLine($"> **Scripted run.** This pull request was produced by the scripted model (`{feature.Model.Script}`), " +
                            "a demo and test device that replays a prepared script. No AI wrote it.")
                .AppendLine();
        }

        body.AppendLine("## Summary").AppendLine()
            .AppendLine(PullRequestText.Inline(string.IsNullOrWhiteSpace(feature.Summary) ? feature.Title : feature.Summary)).AppendLine();
        if (feature.Issue is { } issue)
        {
            body.AppendLine(string.Create(invariant, $"Closes #{issue}")).AppendLine();
        }

        body
            .AppendLine("**Request:**").AppendLine()
            .AppendLine(Quote(feature.Request)).AppendLine()
            .AppendLine("## Tasks").AppendLine()
            .AppendLine("| Task | Role | State | Branch | Commit | Attempts | Duration | Tokens |" + (publicUrl is null ? "" : " Transcript |"))
            .AppendLine("|---|---|---|---|---|---|---|---|" + (publicUrl is null ? "" : "---|"));
        foreach (var task in feature.Tasks)
        {
            var transcript = publicUrl is null ? "" : $" [log]({TranscriptUrl(publicUrl, feature.FeatureId, task.TaskId)}) |";
            body.AppendLine(string.Create(invariant,
                $"| {Cell(task.Title)} (`{task.TaskId}`) | {task.Role} | Completed | `{task.Branch}` | `{Short(task.Commit)}` | {task.Attempts} | " +
                $"{task.Duration.TotalSeconds:0.#} s | {task.Usage.TotalTokens:N0} |{transcript}"));
        }

        body.AppendLine().AppendLine(publicUrl is null
            ? $"Each task's transcript (every model turn and tool call): `orchestrator logs {feature.FeatureId} --task <task>`."
            : $"Each task's transcript (every model turn and tool call) is linked above; or `orchestrator logs {feature.FeatureId} --task <task>`.");

        AppendInstructionFiles(body, feature.InstructionFiles);

        body.AppendLine().AppendLine("## What each agent did").AppendLine();
        foreach (var task in feature.Tasks)
        {
            body.AppendLine($"### {task.Role}: {PullRequestText.Inline(task.Title).ReplaceLineEndings(" ")}").AppendLine()
                .AppendLine(PullRequestText.Fenced(task.Summary, MaxSummaryLength)).AppendLine();
        }

        body.AppendLine("## Verification").AppendLine().AppendLine(Verdict(verification)).AppendLine();
        if (!string.IsNullOrWhiteSpace(verification.Summary))
        {
            body.AppendLine(PullRequestText.Fenced(verification.Summary, MaxOutputLength)).AppendLine();
        }

        if (review is not null)
        {
            PullRequestReviewSection.Append(body, review);
        }

        body.AppendLine("## Reviewer checklist").AppendLine()
            .AppendLine("- [ ] The change does what the request asks, and nothing more")
            .AppendLine("- [ ] The tests cover the new behaviour, including error cases")
            .AppendLine("- [ ] The documentation matches the code")
            .AppendLine()
            .AppendLine("---")
            .AppendLine(string.Create(invariant,
                $"Model: {feature.Model.Description} · Tokens: {feature.Usage.InputTokens:N0} in, {feature.Usage.OutputTokens:N0} out " +
                $"({feature.Usage.Calls} calls){(feature.Cost is { } cost ? $" · Cost: {cost}" : string.Empty)} · Feature `{feature.FeatureId}` · Opened by Orchestrator"));
        return PullRequestText.Bounded(body.ToString(), PullRequestText.MaxBodyLength);
    }

    /// <summary>Which of the repository's instruction files (AGENTS.md, CONTRIBUTING.md, ...) the planner and agents were given.</summary>
    private static void AppendInstructionFiles(StringBuilder body, IReadOnlyList<string>? files)
    {
        const int MaxListed = 20;
        if (files is not { Count: > 0 })
        {
            return;
        }

        var listed = string.Join(", ", files.Take(MaxListed).Select(PullRequestText.Code));
        var more = files.Count > MaxListed ? $" and {files.Count - MaxListed} more" : string.Empty;
        body.AppendLine().AppendLine($"**Repository instructions used:** {listed}{more} (given to the planner and the agents as the repository's guidance).");
    }

    /// <summary>"Passed" only for a command that ran and exited 0; the command, its exit code and the commit are stated.</summary>
    private static string Verdict(VerificationResult verification)
    {
        var command = PullRequestText.Code(verification.Command);
        var commit = verification.Commit is { } sha ? $" on the merged commit `{Short(sha)}`" : " on the merged branch";
        var sandbox = verification.Sandboxed
            ? " It ran in the sandbox, without network, from the base branch's configuration."
            : " **It ran without a sandbox** (`Sandbox:Mode=none`).";
        return verification switch
        {
            { Ran: false } => "**Not verified:** the base branch names no build or test command, so nothing was run.",
            { Passed: true } => string.Create(CultureInfo.InvariantCulture, $"Passed: {command} exited 0{commit}.{sandbox}"),
            { ExitCode: { } code } => string.Create(CultureInfo.InvariantCulture, $"**Failed:** {command} exited {code}{commit}.{sandbox}"),
            _ => $"**Failed:** {command} did not finish{commit}.{sandbox}",
        };
    }

    // The board's page for the transcript, not the API's JSON: a reviewer follows the link in a browser.
    private static string TranscriptUrl(Uri publicUrl, Guid featureId, string taskId) =>
        $"{publicUrl.AbsoluteUri.TrimEnd('/')}/board/#/features/{featureId}/tasks/{Uri.EscapeDataString(taskId)}";

    private static string Quote(string text) =>
        string.Join('\n', PullRequestText.Inline(text).Trim().Split('\n').Select(line => "> " + line.TrimEnd()));

    private static string Cell(string text) => PullRequestText.Inline(text).Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Short(string commit) => commit.Length > 10 ? commit[..10] : commit;
}
