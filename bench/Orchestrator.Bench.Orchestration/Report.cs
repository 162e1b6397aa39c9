using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Orchestrator.Bench.Orchestration;

/// <summary>One line of the report: a figure, its value, its target and where the value stands.</summary>
internal sealed record ReportRow(string Figure, string Value, string Target, string Verdict);

/// <summary>The table printed to the console and written into docs/performance.md, from the results alone.</summary>
internal static class Report
{
    public const string SectionStart = "<!-- bench:orchestration:start (rewritten by bench/Orchestrator.Bench.Orchestration) -->";
    public const string SectionEnd = "<!-- bench:orchestration:end -->";

    public static IReadOnlyList<ReportRow> Rows(BenchResults results)
    {
        var rows = new List<ReportRow>();
        foreach (var o in results.Overhead)
        {
            var excluded = o.Git == "excluded";
            rows.Add(new($"overhead p50, git {o.Git}, {o.Store} ({o.OverheadMs.Count} features)", Ms(o.OverheadMs.P50),
                excluded ? "≤ 15 ms" : "—", excluded ? Verdict(o.OverheadMs.P50 <= OverheadResult.TargetP50Ms) : "no target"));
            rows.Add(new($"overhead p95, git {o.Git}, {o.Store}", Ms(o.OverheadMs.P95), "—", "no target"));
            rows.Add(new($"overhead p99, git {o.Git}, {o.Store}", Ms(o.OverheadMs.P99),
                excluded ? "≤ 100 ms" : "—", excluded ? Verdict(o.OverheadMs.P99 <= OverheadResult.TargetP99Ms) : "no target"));
            if (o.PhaseMediansMs is { } phases)
            {
                rows.Add(new($"overhead split, git {o.Git}, {o.Store}: to first task; hand-off; last answer to end (medians)",
                    $"{Ms(phases.ToFirstTaskMs)}; {(phases.HandOffMs is { } h ? Ms(h) : "n/a")}; {Ms(phases.AfterLastTaskMs)}", "—", "where it goes"));
            }

            if (o.Failed > 0)
            {
                rows.Add(new($"features failed, git {o.Git}, {o.Store}", $"{o.Failed} of {o.Features}", "0", "missed"));
            }
        }

        if (results.Speedup is { } s)
        {
            rows.Add(new($"parallel speedup, 3 tasks of {s.TaskLatencyMs} ms (one at a time {Ms(s.SequentialMs)} / parallel {Ms(s.ParallelMs)})",
                $"{N(s.Speedup)}×", "≥ 2.9×", Verdict(s.Speedup >= SpeedupResult.Target)));
            rows.Add(new($"in-process baseline speedup (sequential {Ms(s.InProcessSequentialMs)} / Task.WhenAll {Ms(s.WhenAllMs)})",
                $"{N(s.BaselineSpeedup)}×", "3× is the limit", "reference"));
            rows.Add(new("parallel through the system / Task.WhenAll", $"{N(s.ParallelOverWhenAll)}×", "—", "reference"));
        }

        foreach (var t in results.Throughput)
        {
            rows.Add(new($"throughput, {t.Store}, {t.Replicas} per role ({t.Orchestrators} orchestrator{(t.Orchestrators > 1 ? "s" : "")}; {t.Completed} features, p50 {Ms(t.EndToEndMs.P50)} each, first after {N(t.RampSeconds)} s)",
                $"{N(t.FeaturesPerSecond)} features/s" + (t.Failed > 0 ? $", {t.Failed} failed" : string.Empty),
                "≥ 100 features/s", Verdict(t.FeaturesPerSecond >= ThroughputResult.Target && t.Failed == 0)));
        }

        foreach (var m in results.Memory)
        {
            var isAgent = m.Kind == "agent service";
            rows.Add(new($"RSS {m.Service} idle", Mb(m.IdleMegabytes),
                isAgent ? "≤ 150 MB" : "—", isAgent ? Verdict(m.IdleMegabytes <= MemoryResult.AgentIdleTargetMegabytes) : "no target"));
            if (m.LoadedMegabytes is { } loaded)
            {
                rows.Add(new($"RSS {m.Service} with {m.FeaturesInFlight} features in flight", Mb(loaded), "—", "no target"));
            }
        }

        foreach (var d in results.Demo)
        {
            rows.Add(new($"demo feature submit → PR ({d.Label}, {d.MeasuredAt:yyyy-MM-dd HH:mm}, {d.State}{(d.LoadAverageAtStart is { } load ? $", load average {N(load)}" : string.Empty)})", $"{N(d.SubmitToPullRequestSeconds)} s",
                "≤ 25 s", Verdict(d.State == "Completed" && d.SubmitToPullRequestSeconds <= DemoResult.TargetSeconds)));
            foreach (var (service, peak) in d.PeakResidentMegabytes ?? new Dictionary<string, double>())
            {
                rows.Add(new($"RSS {service} at its peak during the demo ({d.Label})", Mb(peak), "—", "no target"));
            }
        }

        return rows;
    }

    public static void Print(BenchResults results)
    {
        if (Console.IsOutputRedirected)
        {
            // A log file has no width: keep each figure on one line rather than Spectre's default 80 columns.
            AnsiConsole.Profile.Width = 180;
        }

        var table = new Table().AddColumns("figure", "value", "target", "");
        foreach (var row in Rows(results))
        {
            table.AddRow(Markup.Escape(row.Figure), Markup.Escape(row.Value), Markup.Escape(row.Target),
                row.Verdict == "met" ? "[green]met[/]" : row.Verdict == "missed" ? "[red]missed[/]" : Markup.Escape(row.Verdict));
        }

        AnsiConsole.Write(table);
    }

    /// <summary>The section of docs/performance.md between the markers: machine, date, the table, the charts.</summary>
    public static string Section(BenchResults results, IReadOnlyList<string> charts)
    {
        var m = results.Machine;
        var text = new StringBuilder();
        text.AppendLine(SectionStart);
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {results.MeasuredAt:yyyy-MM-dd HH:mm} UTC{(results.Settings.Quick ? " with `--quick`" : string.Empty)} on {m.Cores} cores, {m.MemoryMegabytes:N0} MB RAM, {m.Os}, .NET {m.Dotnet}; "
            + $"simulated tasks of {results.Settings.TaskLatencyMs} ms ({results.Settings.ThroughputTaskLatencyMs} ms in the throughput runs); orchestrator: {results.Settings.Orchestrator}.");
        if (m.UnderLoad)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"**Taken under load**: the machine's one-minute load average was {m.LoadAverageAtStart:0.0} when the run began (other work was running), so these figures are noisy and pessimistic.");
        }

        text.AppendLine();
        text.AppendLine("| figure | value | target | |");
        text.AppendLine("|---|---|---|---|");
        foreach (var row in Rows(results))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Figure.Replace("|", "\\|", StringComparison.Ordinal)} | {row.Value} | {row.Target} | {row.Verdict} |");
        }

        text.AppendLine();
        foreach (var chart in charts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"![{Path.GetFileNameWithoutExtension(chart)}](../bench/results/{Path.GetFileName(chart)})");
            text.AppendLine();
        }

        text.AppendLine(SectionEnd);
        return text.ToString();
    }

    /// <summary>Replaces the section between the markers, or appends it when the file has none yet.</summary>
    public static string Rewrite(string document, string section)
    {
        var start = document.IndexOf(SectionStart, StringComparison.Ordinal);
        var end = document.IndexOf(SectionEnd, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            return document.TrimEnd() + "\n\n" + section;
        }

        return document[..start] + section.TrimEnd('\n') + document[(end + SectionEnd.Length)..];
    }

    private static string Verdict(bool met) => met ? "met" : "missed";

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Ms(double value) => double.IsFinite(value) ? $"{N(Math.Round(value, 1))} ms" : "n/a";

    private static string Mb(double? value) => value is { } v ? $"{N(v)} MB" : "n/a";
}
