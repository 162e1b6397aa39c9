using System.Globalization;
using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Output;

/// <summary>The readable multi-line summary of one feature printed by <c>status</c>.</summary>
internal static class StatusFormatter
{
    public static IReadOnlyList<string> Format(Feature feature)
    {
        var lines = new List<string>
        {
            $"feature      {feature.Id}",
            $"state        {feature.State}",
            $"model        {ModelLabel.For(feature)}",
        };

        AddIfPresent(lines, "title", feature.Title);
        AddIfPresent(lines, "repository", Repository(feature));
        AddIfPresent(lines, "request", feature.Request is null ? null : Text.Truncate(Text.OneLine(feature.Request), 200));
        AddIfPresent(lines, "submitted", Timestamp(feature.SubmittedAt));
        AddIfPresent(lines, "updated", Timestamp(feature.UpdatedAt));
        AddIfPresent(lines, "usage", Usage(feature.Usage));

        if (feature.Tasks.Count == 0)
        {
            lines.Add("tasks        (none yet)");
        }
        else
        {
            lines.Add("tasks");
            var idWidth = feature.Tasks.Max(t => t.Id.Length);
            var roleWidth = feature.Tasks.Max(t => t.Role.Length);
            var stateWidth = feature.Tasks.Max(t => t.State.Length);
            foreach (var task in feature.Tasks)
            {
                lines.Add(TaskLine(task, idWidth, roleWidth, stateWidth));
            }
        }

        if (FeatureStates.Is(feature.State, FeatureStates.Consolidating) && feature.Consolidation is { } consolidation)
        {
            var where = consolidation.Instance is null ? "queued for the merge service" : Liveness(consolidation.Instance, consolidation.LastSeen);
            lines.Add($"{"consolidation",-12} attempt {consolidation.Attempts}, {where}");
        }

        if (feature.Verification is { } verification)
        {
            lines.Add(FeatureProgressPrinter.VerificationLine(verification)!);
        }

        if (feature.PullRequest is { } pr)
        {
            var forge = string.IsNullOrWhiteSpace(pr.Forge) ? "" : $" [{pr.Forge}]";
            lines.Add($"pull request #{pr.Number} {pr.Url} ({pr.Head} → {pr.Base}){forge}");
        }

        AddIfPresent(lines, "approval", FeatureProgressPrinter.ApprovalLine(feature));
        AddIfPresent(lines, "failure", feature.FailureReason is null ? null : Text.OneLine(feature.FailureReason));
        return lines;
    }

    private static string TaskLine(FeatureTask task, int idWidth, int roleWidth, int stateWidth)
    {
        var parts = new List<string>
        {
            "  " + task.Id.PadRight(idWidth),
            task.Role.PadRight(roleWidth),
            task.State.PadRight(stateWidth),
            $"attempts {task.Attempts}",
        };

        if (FeatureStates.Is(task.State, FeatureStates.TaskRunning) && task.Instance is not null)
        {
            parts.Add(Liveness(task.Instance, task.LastSeen));
        }

        if (!string.IsNullOrWhiteSpace(task.Branch))
        {
            parts.Add(task.Branch);
        }

        if (!string.IsNullOrWhiteSpace(task.Commit))
        {
            parts.Add(Text.ShortCommit(task.Commit));
        }

        if (Usage(task.Usage) is { } usage)
        {
            parts.Add(usage);
        }

        var line = string.Join("  ", parts);
        var reason = Text.FirstLine(task.FailureReason);
        return reason is null ? line : $"{line}  failed: {reason}";
    }

    private static string Liveness(string instance, DateTimeOffset? lastSeen) =>
        lastSeen is null ? $"on {instance}" : $"on {instance} (last seen {Timestamp(lastSeen)})";

    private static string? Repository(Feature feature) =>
        feature.Repository is null
            ? null
            : feature.BaseBranch is null ? feature.Repository : $"{feature.Repository} (base {feature.BaseBranch})";

    private static string? Usage(TokenUsage? usage) =>
        usage is null
            ? null
            : string.Create(
                CultureInfo.InvariantCulture,
                $"tokens {usage.InputTokens} in / {usage.OutputTokens} out, {usage.Calls} calls");

    private static string? Timestamp(DateTimeOffset? at) =>
        at?.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    private static void AddIfPresent(List<string> lines, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            lines.Add($"{label.PadRight(12)} {value}");
        }
    }
}
