using System.Globalization;
using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Output;

/// <summary>
/// Turns two successive snapshots of a feature into the progress lines a person watching should see.
/// Pure: no clock, no I/O. Each item (feature state, title, each task, verification, pull request) is rendered
/// to a line and printed only when that line differs from the previous snapshot's, so repeated polls of an
/// unchanged feature print nothing, and changes to fields that are not shown (timestamps, tokens) stay quiet.
/// </summary>
internal static class FeatureProgressPrinter
{
    public static IReadOnlyList<string> Changes(Feature? previous, Feature current)
    {
        var lines = new List<string>();
        if (previous is null)
        {
            lines.Add($"feature {current.Id} uses model {ModelLabel.For(current)}");
        }

        var featureLine = FeatureLine(current);
        var featureChanged = previous is null || FeatureLine(previous) != featureLine;
        var isFinal = FeatureStates.IsFinal(current.State);

        // A new non-final state frames what follows (e.g. "Executing" before tasks start running) ...
        if (featureChanged && !isFinal)
        {
            lines.Add(featureLine);
        }

        if (current.Title is not null && current.Title != previous?.Title)
        {
            lines.Add($"feature {current.Id} title: {Text.OneLine(current.Title)}");
        }

        foreach (var task in current.Tasks)
        {
            var before = previous?.Tasks.FirstOrDefault(t => t.Id == task.Id);
            var line = TaskLine(task);
            if (before is null || TaskLine(before) != line)
            {
                lines.Add(line);
            }
        }

        var verification = VerificationLine(current.Verification);
        if (verification is not null && verification != VerificationLine(previous?.Verification))
        {
            lines.Add(verification);
        }

        // A feature that waits for approval is not done: after its plan, say how to move it on.
        if (featureChanged && ApprovalLine(current) is { } approval)
        {
            lines.Add(approval);
        }

        // ... while a final state concludes them, followed only by the pull request.
        if (featureChanged && isFinal)
        {
            lines.Add(featureLine);
        }

        var pullRequest = PullRequestLine(current.PullRequest);
        if (pullRequest is not null && pullRequest != PullRequestLine(previous?.PullRequest))
        {
            lines.Add(pullRequest);
        }

        return lines;
    }

    public static string FeatureLine(Feature feature)
    {
        var line = $"feature {feature.Id} {feature.State}";
        var reason = Text.FirstLine(feature.FailureReason);
        return reason is null ? line : $"{line}: {reason}";
    }

    /// <summary>For a feature waiting for approval: what it waits for, until when, and the commands that answer it.</summary>
    public static string? ApprovalLine(Feature feature)
    {
        var until = feature.ApprovalDeadline is { } deadline
            ? $" until {deadline.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)}"
            : "";
        var reject = $"or: orchestrator reject {feature.Id} --reason <text>";
        if (FeatureStates.Is(feature.State, FeatureStates.AwaitingApproval))
        {
            return $"feature {feature.Id} waits for its plan to be approved{until}: orchestrator approve {feature.Id} [--plan <file.json>], {reject}";
        }

        if (FeatureStates.Is(feature.State, FeatureStates.AwaitingBudget))
        {
            var spent = feature.Usage is { } usage ? usage.InputTokens + usage.OutputTokens : 0;
            var budget = feature.TokenBudget is { } tokens ? $" of its {tokens}" : "";
            return $"feature {feature.Id} spent {spent}{budget} tokens and waits for a larger budget{until}: " +
                   $"orchestrator approve {feature.Id} --token-budget <tokens>, {reject}";
        }

        return null;
    }

    public static string TaskLine(FeatureTask task)
    {
        var head = $"task {task.Id} ({task.Role}) {task.State}";

        if (FeatureStates.Is(task.State, FeatureStates.TaskPending))
        {
            var title = Text.FirstLine(task.Title);
            var line = title is null ? head : $"{head}: {title}";
            return task.DependsOn.Count == 0 ? line : $"{line} (after {string.Join(", ", task.DependsOn)})";
        }

        if (FeatureStates.Is(task.State, FeatureStates.TaskQueued))
        {
            return WithEarlierFailure($"{head} attempt {task.Attempts}: waiting for a {task.Role} agent", task);
        }

        if (FeatureStates.Is(task.State, FeatureStates.TaskRunning))
        {
            var line = task.Attempts > 0 ? $"{head} attempt {task.Attempts}" : head;
            // Not the last heartbeat: it changes every few seconds, and a watcher prints a line per change.
            return WithEarlierFailure(task.Instance is null ? line : $"{line} on {task.Instance}", task);
        }

        if (FeatureStates.Is(task.State, FeatureStates.TaskCompleted))
        {
            var parts = new List<string> { head };
            if (!string.IsNullOrWhiteSpace(task.Branch))
            {
                parts.Add(task.Branch);
            }

            if (!string.IsNullOrWhiteSpace(task.Commit))
            {
                parts.Add(Text.ShortCommit(task.Commit));
            }

            var line = string.Join(' ', parts);
            var summary = Text.FirstLine(task.Summary);
            return summary is null ? line : $"{line}: {summary}";
        }

        if (FeatureStates.Is(task.State, FeatureStates.TaskFailed))
        {
            var reason = Text.FirstLine(task.FailureReason);
            return reason is null ? head : $"{head}: {reason}";
        }

        return head;
    }

    // Why the previous attempt failed, on the line of the attempt that replaces it (a watcher may see only one of
    // Queued and Running for it).
    private static string WithEarlierFailure(string line, FeatureTask task) =>
        task.EarlierFailures.Count == 0 ? line : $"{line} ({Text.FirstLine(task.EarlierFailures[^1])})";

    public static string? VerificationLine(Verification? verification)
    {
        if (verification is null)
        {
            return null;
        }

        var line = verification switch
        {
            { Ran: false } => "NOT VERIFIED (the base branch names no build or test command)",
            { Passed: true } => "verification passed",
            { ExitCode: { } code } => $"verification FAILED (exit code {code})",
            _ => "verification FAILED (did not finish)",
        };
        if (verification.Ran && !string.IsNullOrWhiteSpace(verification.Command))
        {
            line += $" ({verification.Command}{(verification.Sandboxed ? string.Empty : ", NOT SANDBOXED")})";
        }

        var summary = Text.LastLine(verification.Summary);
        return summary is null ? line : $"{line}: {summary}";
    }

    public static string? PullRequestLine(PullRequest? pullRequest) =>
        pullRequest is null
            ? null
            : $"pull request #{pullRequest.Number} opened: {pullRequest.Url} ({pullRequest.Head} → {pullRequest.Base})";
}
