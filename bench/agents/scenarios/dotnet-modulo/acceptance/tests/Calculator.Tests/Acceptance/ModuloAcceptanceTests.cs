namespace Calculator.Tests.Acceptance;

public class ModuloAcceptanceTests
{
    [Theory]
    [InlineData(7, 3, 1)]
    [InlineData(-7, 3, 2)]
    [InlineData(7, -3, -2)]
    [InlineData(-7, -3, -1)]
    [InlineData(6, 3, 0)]
    [InlineData(5.5, 2, 1.5)]
    public void Modulo_has_the_sign_of_the_divisor(double dividend, double divisor, double expected)
    {
        Assert.Equal(expected, Arithmetic.Modulo(dividend, divisor), 10);
    }

    [Fact]
    public void A_divisor_of_zero_throws()
    {
        Assert.Throws<DivideByZeroException>(() => Arithmetic.Modulo(1, 0));
    }
}
