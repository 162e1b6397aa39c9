using System.Globalization;
using Orchestrator.Cli.Api;
using Spectre.Console;
using TerminalText = Spectre.Console.Text;

namespace Orchestrator.Cli.Output;

/// <summary>
/// A feature as a terminal table: a row per task (id, role, state, agent, elapsed, tokens), then the model, the feature's
/// state, the verification and the pull request. Drawn live by <c>watch</c> and once by <c>show</c>. Every value goes in
/// as <see cref="Text"/>, never as markup: summaries and agent names may contain '[' and ']'.
/// </summary>
internal static class FeatureTable
{
    private const int TaskColumns = 6;

    public static Table Build(Feature feature, DateTimeOffset now)
    {
        var title = feature.Title is null ? $"feature {feature.Id}" : $"feature {feature.Id}: {Text.OneLine(feature.Title)}";
        var table = new Table().Title(Markup.Escape(title));
        table.AddColumn("Task");
        table.AddColumn("Role");
        table.AddColumn("State");
        table.AddColumn("Agent");
        table.AddColumn(new TableColumn("Elapsed").RightAligned());
        table.AddColumn(new TableColumn("Tokens in / out").RightAligned());

        foreach (var task in feature.Tasks)
        {
            table.AddRow(
                new TerminalText(task.Id),
                new TerminalText(task.Role),
                TaskState(task),
                new TerminalText(task.Instance ?? ""),
                new TerminalText(Elapsed(task, now)),
                new TerminalText(Tokens(task.Usage)));
        }

        if (feature.Tasks.Count == 0)
        {
            AddFooterRow(table, "tasks", "none yet (the feature is being planned)", Style.Plain.Decoration(Decoration.Dim));
        }

        AddFooterRow(table, "model", ModelLabel.For(feature));
        AddFooterRow(table, "state", FeatureState(feature, now), StateStyle(feature.State));
        if (FeatureProgressPrinter.ApprovalLine(feature) is { } approval)
        {
            AddFooterRow(table, "approval", approval, new Style(Color.Yellow));
        }

        AddFooterRow(table, "verification", FeatureProgressPrinter.VerificationLine(feature.Verification) ?? "not yet");
        AddFooterRow(table, "pull request", PullRequest(feature.PullRequest) ?? "not yet");
        return table;
    }

    /// <summary>A label in the first column and its value across the others, after the tasks.</summary>
    public static void AddFooterRow(Table table, string label, string value, Style? style = null) =>
        table.AddRow(
            new TerminalText(label, Style.Plain.Decoration(Decoration.Bold)),
            new TableCell(new TerminalText(value, style ?? Style.Plain)).Span(TaskColumns - 1));

    /// <summary>m:ss under an hour, h:mm:ss after; empty before the task started.</summary>
    public static string Duration(DateTimeOffset? from, DateTimeOffset? until, DateTimeOffset now)
    {
        if (from is not { } start)
        {
            return "";
        }

        var span = (until ?? now) - start;
        if (span < TimeSpan.Zero)
        {
            // The server's clock ahead of this one: say "just started", not a negative time.
            span = TimeSpan.Zero;
        }

        // Whole hours rather than TimeSpan's "h", which starts again at 0 after a day.
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");
    }

    /// <summary>
    /// How long the task has been running, or how long it ran. Nothing for a task waiting (its start time may be an
    /// earlier attempt's) nor for a finished task whose server reports no end, rather than a clock that never stops.
    /// </summary>
    public static string Elapsed(FeatureTask task, DateTimeOffset now) =>
        FeatureStates.Is(task.State, FeatureStates.TaskRunning) ? Duration(task.StartedAt, null, now)
        : task.FinishedAt is { } finished ? Duration(task.StartedAt, finished, now)
        : "";

    public static string Tokens(TokenUsage? usage) =>
        usage is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{usage.InputTokens:N0} / {usage.OutputTokens:N0}");

    public static Style StateStyle(string state) => state switch
    {
        _ when FeatureStates.Is(state, FeatureStates.Completed) => new Style(Color.Green),
        _ when FeatureStates.Is(state, FeatureStates.Failed) => new Style(Color.Red),
        _ when FeatureStates.Is(state, FeatureStates.Cancelled) => new Style(Color.Olive),
        _ when FeatureStates.Is(state, FeatureStates.TaskRunning) => new Style(Color.Aqua),
        _ when FeatureStates.Is(state, FeatureStates.TaskPending) || FeatureStates.Is(state, FeatureStates.TaskQueued) =>
            Style.Plain.Decoration(Decoration.Dim),
        _ => Style.Plain,
    };

    private static TerminalText TaskState(FeatureTask task)
    {
        // A retry says which attempt it is; a failure says why on the line below.
        var state = task.Attempts > 1 ? $"{task.State} (attempt {task.Attempts})" : task.State;
        var reason = Text.FirstLine(task.FailureReason);
        return new TerminalText(reason is null ? state : $"{state}\n{reason}", StateStyle(task.State));
    }

    private static string FeatureState(Feature feature, DateTimeOffset now)
    {
        // A finished feature took from its submission to its last update; one still going counts up to now.
        var isFinal = FeatureStates.IsFinal(feature.State);
        var elapsed = isFinal && feature.UpdatedAt is null ? "" : Duration(feature.SubmittedAt, isFinal ? feature.UpdatedAt : null, now);
        var state = elapsed.Length == 0 ? feature.State : $"{feature.State} {(isFinal ? "after" : "for")} {elapsed}";
        if (FeatureStates.Is(feature.State, FeatureStates.Consolidating) && feature.Consolidation is { } round)
        {
            state += round.Instance is null
                ? $" (attempt {round.Attempts}, queued for the merge service)"
                : $" (attempt {round.Attempts} on {round.Instance})";
        }

        var reason = Text.FirstLine(feature.FailureReason);
        return reason is null ? state : $"{state}: {reason}";
    }

    private static string? PullRequest(PullRequest? pullRequest) =>
        pullRequest is null ? null : $"{pullRequest.Url}  (#{pullRequest.Number}, {pullRequest.Head} → {pullRequest.Base})";
}
