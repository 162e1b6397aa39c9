namespace Calculator.Tests.Acceptance;

public class FactorialAcceptanceTests
{
    [Theory]
    [InlineData(0, 1L)]
    [InlineData(1, 1L)]
    [InlineData(5, 120L)]
    [InlineData(20, 2432902008176640000L)]
    public void Factorial_multiplies_one_to_n(int n, long expected)
    {
        Assert.Equal(expected, Arithmetic.Factorial(n));
    }

    [Fact]
    public void A_negative_n_throws_naming_n()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Arithmetic.Factorial(-1));
        Assert.Equal("n", exception.ParamName);
    }

    [Fact]
    public void A_factorial_beyond_long_throws_overflow()
    {
        Assert.Throws<OverflowException>(() => Arithmetic.Factorial(21));
    }
}
