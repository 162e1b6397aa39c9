namespace Calculator.Tests;

public class ArithmeticTests
{
    [Theory]
    [InlineData(2, 3, 5)]
    [InlineData(-2, 3, 1)]
    [InlineData(0.5, 0.25, 0.75)]
    public void Add_ReturnsSum(double left, double right, double expected)
    {
        Assert.Equal(expected, Arithmetic.Add(left, right));
    }

    [Theory]
    [InlineData(5, 3, 2)]
    [InlineData(3, 5, -2)]
    public void Subtract_ReturnsDifference(double left, double right, double expected)
    {
        Assert.Equal(expected, Arithmetic.Subtract(left, right));
    }

    [Theory]
    [InlineData(4, 3, 12)]
    [InlineData(-4, 3, -12)]
    [InlineData(7, 0, 0)]
    public void Multiply_ReturnsProduct(double left, double right, double expected)
    {
        Assert.Equal(expected, Arithmetic.Multiply(left, right));
    }

    [Theory]
    [InlineData(7, 2, 3.5)]
    [InlineData(-9, 3, -3)]
    public void Divide_ReturnsQuotient(double dividend, double divisor, double expected)
    {
        Assert.Equal(expected, Arithmetic.Divide(dividend, divisor));
    }

    [Fact]
    public void Divide_ByZero_Throws()
    {
        Assert.Throws<DivideByZeroException>(() => Arithmetic.Divide(1, 0));
    }
}
