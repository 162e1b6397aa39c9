using System.Globalization;
using System.Text;

namespace Orchestrator.EndToEnd.Tests.Faults;

/// <summary>
/// One feature run under one fault: how it ended, how long it took, when the fault came (<paramref name="FaultAt"/>,
/// as the table shows it) and what was put on the bus (<paramref name="Injected"/>, for the faults done with messages).
/// </summary>
public sealed record FaultRun(
    string Scenario, string State, string? Reason, TimeSpan Took, int PullRequests, string FaultAt, string? Injected = null);

/// <summary>
/// The fault suite's table, rewritten into <c>docs/reliability.md</c> after every scenario so the document always shows
/// the last run's figures. A scenario this run did not cover (a filtered run) keeps its row from the table before,
/// marked with that run's date, so a partial run never drops what an earlier one measured.
/// </summary>
public static class FaultReport
{
    private const string Begin = "<!-- fault-suite:begin (written by tests/Orchestrator.EndToEnd.Tests/Faults; do not edit) -->";
    private const string End = "<!-- fault-suite:end -->";
    private const string Header =
        "| scenario | runs | completed | failed, with the reason | fault after | worst time beyond fault-free | PRs per feature | messages injected per run |";
    private const int Columns = 8;
    private static readonly List<FaultRun> Runs = [];
    private static readonly Lock Gate = new();
    private static long _errorMessages;

    public static TimeSpan FaultFree { get; set; }

    /// <summary>Model calls of the fault-free run: a run that only had messages delivered again must make as many.</summary>
    public static int FaultFreeModelCalls { get; set; }

    /// <summary>Every row, in the order the table lists them.</summary>
    private static IReadOnlyList<string> Order => [.. Faults.Scenarios, .. MessageFaults.Rows];

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
        File.WriteAllText(path, page[..start] + Table(page[start..end], Interlocked.Read(ref _errorMessages)) + page[end..]);
    }

    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Table(string previous, long errorMessages)
    {
        List<FaultRun> runs;
        lock (Gate)
        {
            runs = [.. Runs];
        }

        var rows = runs.GroupBy(run => run.Scenario).ToDictionary(scenario => scenario.Key, Row);
        foreach (var (scenario, row) in EarlierRows(previous, EarlierDate(previous)).Where(kept => !rows.ContainsKey(kept.Key)))
        {
            rows[scenario] = row;
        }

        var text = new StringBuilder().AppendLine(Begin).AppendLine();
        text.AppendLine(Invariant($"Last run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; the same feature without a fault took {Seconds(FaultFree)} s."));
        text.AppendLine().AppendLine(Header).AppendLine("|---|---:|---:|---:|---|---:|---|---|");
        foreach (var (_, row) in rows.OrderBy(row => Order.ToList().IndexOf(row.Key)))
        {
            text.AppendLine(row);
        }

        text.AppendLine();
        var failures = runs.Where(run => run.State != "Completed").GroupBy(run => (run.Scenario, run.State, run.Reason)).ToList();
        foreach (var failed in failures)
        {
            text.AppendLine(Invariant($"- {failed.Key.Scenario} ({RunCount(failed.Count())}): {failed.Key.State}: {failed.Key.Reason}"));
        }

        if (failures.Count > 0)
        {
            text.AppendLine();
        }

        // Written only after every scenario's check that its queues drained (the suite fails before this otherwise).
        text.AppendLine(Invariant(
            $"After every scenario run this time no message was left in a queue other than `_error`. Messages the faults sent to `_error`: {errorMessages}."));
        return text.AppendLine().ToString();
    }

    private static string Row(IGrouping<string, FaultRun> scenario)
    {
        var worst = scenario.Max(run => run.Took - FaultFree);
        var moments = PerRun(scenario.Select(run => run.FaultAt));
        var prs = string.Join(", ", scenario.Select(run => run.PullRequests.ToString(CultureInfo.InvariantCulture)));
        var injected = PerRun(scenario.Select(run => run.Injected ?? "—"));
        return Invariant(
            $"| {scenario.Key} | {scenario.Count()} | {scenario.Count(r => r.State == "Completed")} | {scenario.Count(r => r.State == "Failed")} | {moments} | {Seconds(worst)} s | {prs} | {injected} |");
    }

    // One value per run, or the value once when every run had it.
    private static string PerRun(IEnumerable<string> values)
    {
        var all = values.ToList();
        if (all.All(value => value == "—"))
        {
            return "—";
        }

        return all.Distinct().Count() == 1 && all.Count > 1 ? $"{all[0]} (each run)" : string.Join(", ", all);
    }

    private static string RunCount(int count) => count == 1 ? "1 run" : $"{count} runs";

    // Rows of the table before, by scenario, each naming the run it came from, padded to today's columns.
    private static Dictionary<string, string> EarlierRows(string previous, string date)
    {
        var rows = new Dictionary<string, string>();
        foreach (var line in previous.Split('\n').Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| scenario |", StringComparison.Ordinal)))
        {
            var cells = line.Trim().Trim('|').Split('|').Select(cell => cell.Trim()).ToList();
            var scenario = cells[0].Split(" (run of ", 2)[0];
            if (!Order.Contains(scenario))
            {
                continue;
            }

            cells[0] = cells[0].Contains(" (run of ", StringComparison.Ordinal) ? cells[0] : $"{scenario} (run of {date})";
            cells.AddRange(Enumerable.Repeat("—", Math.Max(0, Columns - cells.Count)));
            rows[scenario] = $"| {string.Join(" | ", cells)} |";
        }

        return rows;
    }

    private static string EarlierDate(string previous)
    {
        var at = previous.IndexOf("Last run ", StringComparison.Ordinal);
        return at < 0 ? "an earlier run" : previous[(at + "Last run ".Length)..previous.IndexOf(';', at)];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
