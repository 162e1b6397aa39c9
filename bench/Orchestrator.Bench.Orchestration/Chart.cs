using ScottPlot;

namespace Orchestrator.Bench.Orchestration;

/// <summary>The results' PNG chart: overhead percentiles next to their targets, and throughput per configuration.</summary>
internal static class Chart
{
    public static void Write(BenchResults results, string path)
    {
        var plot = new Plot();
        var ticks = new List<Tick>();
        var position = 0.0;
        var palette = new ScottPlot.Palettes.Category10();

        foreach (var overhead in results.Overhead)
        {
            var percentiles = new[] { ("p50", overhead.OverheadMs.P50), ("p95", overhead.OverheadMs.P95), ("p99", overhead.OverheadMs.P99) };
            for (var i = 0; i < percentiles.Length; i++)
            {
                var (name, value) = percentiles[i];
                // A logarithmic axis: git included is a hundred times git excluded, whose targets would vanish.
                AddBar(plot, position, Math.Log10(Math.Max(1, value)), palette.GetColor(i), $"{value:0}");
                ticks.Add(new Tick(position, $"{name}\ngit {overhead.Git}\n{overhead.Store}"));
                position += 1;
            }

            position += 0.5;
        }

        foreach (var (target, label) in new[] { (OverheadResult.TargetP50Ms, "target p50 ≤ 15 ms"), (OverheadResult.TargetP99Ms, "target p99 ≤ 100 ms") })
        {
            var line = plot.Add.HorizontalLine(Math.Log10(target));
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = label;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. new[] { 1, 10, 100, 1_000, 10_000 }.Select(ms => new Tick(Math.Log10(ms), $"{ms:N0}"))]);
        plot.Axes.Margins(bottom: 0);
        plot.Title($"Orchestration overhead per feature (ms), {results.MeasuredAt:yyyy-MM-dd}, {results.Machine.Cores} cores"
            + (results.Machine.UnderLoad ? ", machine under load" : string.Empty));
        plot.YLabel("end-to-end − critical path (ms, log scale)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1200, 560);
    }

    /// <summary>The throughput chart: features per second for each store and replica count, against the target.</summary>
    public static void WriteThroughput(BenchResults results, string path)
    {
        var plot = new Plot();
        var ticks = new List<Tick>();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < results.Throughput.Count; i++)
        {
            var run = results.Throughput[i];
            AddBar(plot, i, run.FeaturesPerSecond, palette.GetColor(run.Store == "sqlite" ? 0 : 1), $"{run.FeaturesPerSecond:0.#}");
            ticks.Add(new Tick(i, $"{run.Store}\n{run.Replicas} per role"));
        }

        var line = plot.Add.HorizontalLine(ThroughputResult.Target);
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = "target ≥ 100 features/s";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Margins(bottom: 0);
        plot.Title($"Throughput, features per second over {results.Settings.ThroughputSeconds} s, {results.MeasuredAt:yyyy-MM-dd}, {results.Machine.Cores} cores"
            + (results.Machine.UnderLoad ? ", machine under load" : string.Empty));
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 520);
    }

    private static void AddBar(Plot plot, double position, double value, Color color, string label)
    {
        var bar = new Bar { Position = position, Value = double.IsFinite(value) ? value : 0, FillColor = color, Label = label };
        var bars = plot.Add.Bars(new[] { bar });
        bars.ValueLabelStyle.FontSize = 12;
    }
}
