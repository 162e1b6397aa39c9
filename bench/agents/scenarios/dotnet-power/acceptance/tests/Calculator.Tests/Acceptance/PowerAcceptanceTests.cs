namespace Calculator.Tests.Acceptance;

public class PowerAcceptanceTests
{
    [Theory]
    [InlineData(2, 10, 1024)]
    [InlineData(-2, 3, -8)]
    [InlineData(1.5, 2, 2.25)]
    [InlineData(7, 1, 7)]
    public void Power_raises_the_base_to_the_exponent(double @base, int exponent, double expected)
    {
        Assert.Equal(expected, Arithmetic.Power(@base, exponent));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-3)]
    public void Any_number_to_the_zero_is_one(double @base)
    {
        Assert.Equal(1, Arithmetic.Power(@base, 0));
    }

    [Fact]
    public void A_negative_exponent_throws_naming_the_exponent()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Arithmetic.Power(2, -2));
        Assert.Equal("exponent", exception.ParamName);
    }
}
