using System.Globalization;
using System.Text;

namespace Orchestrator.EndToEnd.Tests.Faults;

/// <summary>One feature run under one fault: how it ended and how long it took.</summary>
public sealed record FaultRun(string Scenario, string State, string? Reason, TimeSpan Took, int PullRequests, TimeSpan FaultAt);

/// <summary>
/// The fault suite's table, rewritten into <c>docs/reliability.md</c> after every scenario so the document always shows
/// the last run's figures.
/// </summary>
public static class FaultReport
{
    private const string Begin = "<!-- fault-suite:begin (written by tests/Orchestrator.EndToEnd.Tests/Faults; do not edit) -->";
    private const string End = "<!-- fault-suite:end -->";
    private static readonly List<FaultRun> Runs = [];
    private static readonly Lock Gate = new();
    private static long _errorMessages;

    public static TimeSpan FaultFree { get; set; }

    public static void Add(FaultRun run)
    {
        lock (Gate)
        {
            Runs.Add(run);
        }
    }

    /// <summary>Counts messages a scenario's faults sent to the <c>_error</c> queues.</summary>
    public static void AddErrorMessages(long count) => Interlocked.Add(ref _errorMessages, count);

    /// <summary>Replaces the table between the markers of <c>docs/reliability.md</c> (the rest of the page is prose).</summary>
    public static void Write()
    {
        var path = Path.Combine(OrchestratorApp.RepositoryRoot, "docs", "reliability.md");
        var page = File.ReadAllText(path);
        var start = page.IndexOf(Begin, StringComparison.Ordinal);
        var end = page.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{path} lost its fault-suite markers");
        File.WriteAllText(path, page[..start] + Table(Interlocked.Read(ref _errorMessages)) + page[end..]);
    }

    private static string Table(long errorMessages)
    {
        List<FaultRun> runs;
        lock (Gate)
        {
            runs = [.. Runs];
        }

        var text = new StringBuilder().AppendLine(Begin).AppendLine();
        text.AppendLine(Invariant($"Last run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; the same feature without a fault took {Seconds(FaultFree)} s."));
        text.AppendLine();
        text.AppendLine("| scenario | runs | completed | failed, with the reason | fault after | worst time beyond fault-free | PRs per feature |");
        text.AppendLine("|---|---:|---:|---:|---|---:|---|");
        foreach (var scenario in runs.GroupBy(run => run.Scenario).OrderBy(group => Faults.Scenarios.ToList().IndexOf(group.Key)))
        {
            var worst = scenario.Max(run => run.Took - FaultFree);
            var moments = string.Join(", ", scenario.Select(run => Seconds(run.FaultAt) + " s"));
            var prs = string.Join(", ", scenario.Select(run => run.PullRequests.ToString(CultureInfo.InvariantCulture)));
            text.AppendLine(Invariant(
                $"| {scenario.Key} | {scenario.Count()} | {scenario.Count(r => r.State == "Completed")} | {scenario.Count(r => r.State == "Failed")} | {moments} | {Seconds(worst)} s | {prs} |"));
        }

        text.AppendLine();
        foreach (var failed in runs.Where(run => run.State != "Completed"))
        {
            text.AppendLine(Invariant($"- {failed.Scenario}: {failed.State}: {failed.Reason}"));
        }

        // Written only after every scenario's check that its queues drained (the suite fails before this otherwise).
        text.AppendLine(Invariant($"After every scenario no message was left in a queue other than `_error`. Messages the faults sent to `_error`: {errorMessages}."));
        return text.AppendLine().ToString();
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
