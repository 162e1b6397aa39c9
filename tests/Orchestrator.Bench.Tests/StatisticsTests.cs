using Orchestrator.Bench.Orchestration;

namespace Orchestrator.Bench.Tests;

public sealed class StatisticsTests
{
    [Fact]
    public void The_median_of_an_odd_count_is_the_middle_value()
    {
        Assert.Equal(3, Percentiles.Of([1, 2, 3, 4, 5], 50));
    }

    [Fact]
    public void A_percentile_between_two_ranks_is_interpolated()
    {
        Assert.Equal(15, Percentiles.Of([10, 20], 50));
        // rank 0.99 * 99 = 98.01 over 1..100: 99 + 0.01.
        Assert.Equal(99.01, Percentiles.Of([.. Enumerable.Range(1, 100).Select(i => (double)i)], 99), precision: 9);
    }

    [Fact]
    public void The_extreme_percentiles_are_the_minimum_and_the_maximum()
    {
        double[] sorted = [2, 7, 9];
        Assert.Equal(2, Percentiles.Of(sorted, 0));
        Assert.Equal(9, Percentiles.Of(sorted, 100));
    }

    [Fact]
    public void No_values_have_no_percentile()
    {
        Assert.Throws<ArgumentException>(() => Percentiles.Of([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of([1], 101));
    }

    [Fact]
    public void A_summary_sorts_its_values_first()
    {
        var summary = LatencySummary.Of([40, 10, 30, 20, 50]);

        Assert.Equal(5, summary.Count);
        Assert.Equal(30, summary.P50);
        Assert.Equal(48, summary.P95);
        Assert.Equal(50, summary.Max);
        Assert.Equal(30, summary.Mean);
    }

    [Fact]
    public void The_sustained_rate_leaves_out_the_ramp_and_what_ended_after_the_window()
    {
        var (rate, ramp) = SustainedRate.Of([12, 2, 3, 4, 5, 6, 11], windowSeconds: 10);

        Assert.Equal(2, ramp);
        // 4 more features (3, 4, 5, 6) ended in the 8 seconds after the first.
        Assert.Equal(0.5, rate);
    }

    [Fact]
    public void No_rate_is_claimed_when_at_most_one_feature_ended_in_the_window()
    {
        Assert.Equal(0, SustainedRate.Of([9, 20], windowSeconds: 10).FeaturesPerSecond);
    }
}
