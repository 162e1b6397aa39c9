namespace Orchestrator.Bench.Orchestration;

/// <summary>Count, mean, p50, p95, p99 and max of a set of measurements, in milliseconds.</summary>
internal sealed record LatencySummary(int Count, double Mean, double P50, double P95, double P99, double Max)
{
    public static LatencySummary Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = values.Order().ToArray();
        return new LatencySummary(
            sorted.Length,
            Math.Round(sorted.Average(), 3),
            Math.Round(Percentiles.Of(sorted, 50), 3),
            Math.Round(Percentiles.Of(sorted, 95), 3),
            Math.Round(Percentiles.Of(sorted, 99), 3),
            Math.Round(sorted[^1], 3));
    }
}

internal static class Percentiles
{
    /// <summary>
    /// The <paramref name="percentile"/>th percentile of <paramref name="sorted"/> (ascending), interpolated linearly
    /// between the two nearest ranks (the definition of Excel's PERCENTILE.INC and NumPy's default), so a p99 of a
    /// small sample is not simply its maximum.
    /// </summary>
    public static double Of(IReadOnlyList<double> sorted, double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (sorted.Count == 0)
        {
            throw new ArgumentException("No values.", nameof(sorted));
        }

        var rank = percentile / 100 * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = (int)Math.Ceiling(rank);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }
}
