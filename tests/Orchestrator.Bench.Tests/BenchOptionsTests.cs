using Orchestrator.Bench.Orchestration;

namespace Orchestrator.Bench.Tests;

public sealed class BenchOptionsTests
{
    [Fact]
    public void The_full_run_sustains_throughput_for_a_minute_on_both_stores()
    {
        var options = BenchOptions.Parse([]);

        Assert.False(options.Quick);
        Assert.Equal(60, options.ThroughputSeconds);
        Assert.Equal(1000, options.MemoryFeatures);
        Assert.Equal(["sqlite", "postgres"], options.Stores);
        Assert.True(options.Build);
    }

    [Fact]
    public void Quick_shortens_the_runs_but_keeps_a_thousand_features_in_flight()
    {
        var options = BenchOptions.Parse(["--quick"]);

        Assert.True(options.ThroughputSeconds < 60);
        Assert.True(options.OverheadFeatures < BenchOptions.Parse([]).OverheadFeatures);
        Assert.Equal(1000, options.MemoryFeatures);
    }

    [Fact]
    public void Each_size_can_be_set()
    {
        var options = BenchOptions.Parse(["--quick", "--seconds", "30", "--latency-ms", "500", "--stores", "postgres", "--demo", "--label", "after"]);

        Assert.Equal(30, options.ThroughputSeconds);
        Assert.Equal(500, options.TaskLatencyMs);
        Assert.Equal(["postgres"], options.Stores);
        Assert.True(options.Demo);
        Assert.Equal("after", options.DemoLabel);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("ten")]
    public void A_size_that_is_not_a_positive_whole_number_is_refused_by_name(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--seconds", value]));

        Assert.Contains("--seconds", error.Message, StringComparison.Ordinal);
    }
}

public sealed class BenchOptionsRefusalTests
{
    [Fact]
    public void An_unknown_option_is_refused_rather_than_ignored()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--quik"]));

        Assert.Contains("'--quik'", error.Message, StringComparison.Ordinal);
    }
}
