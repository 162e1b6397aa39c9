namespace Calculator.Tests.Acceptance;

public class StatisticsAcceptanceTests
{
    [Fact]
    public void Mean_is_the_average()
    {
        Assert.Equal(2.5, Statistics.Mean([1, 2, 3, 4]));
        Assert.Equal(-1, Statistics.Mean([-1]));
    }

    [Fact]
    public void Median_of_an_odd_count_is_the_middle_value_of_the_sorted_values()
    {
        Assert.Equal(3, Statistics.Median([5, 1, 3]));
    }

    [Fact]
    public void Median_of_an_even_count_is_the_mean_of_the_two_middle_values()
    {
        Assert.Equal(2.5, Statistics.Median([4, 1, 3, 2]));
    }

    [Fact]
    public void No_values_throw_argument_exception()
    {
        Assert.ThrowsAny<ArgumentException>(() => Statistics.Mean([]));
        Assert.ThrowsAny<ArgumentException>(() => Statistics.Median([]));
    }

    [Fact]
    public void Null_values_throw_argument_null_exception()
    {
        Assert.Throws<ArgumentNullException>(() => Statistics.Mean(null!));
        Assert.Throws<ArgumentNullException>(() => Statistics.Median(null!));
    }
}
