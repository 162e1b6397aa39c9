namespace Calculator;

/// <summary>Basic arithmetic on <see cref="double"/> values.</summary>
public static class Arithmetic
{
    /// <summary>Returns the sum of <paramref name="left"/> and <paramref name="right"/>.</summary>
    public static double Add(double left, double right)
    {
        return left + right;
    }

    /// <summary>Returns <paramref name="left"/> minus <paramref name="right"/>.</summary>
    public static double Subtract(double left, double right)
    {
        return left - right;
    }

    /// <summary>Returns the product of <paramref name="left"/> and <paramref name="right"/>.</summary>
    public static double Multiply(double left, double right)
    {
        return left * right;
    }

    /// <summary>Returns <paramref name="dividend"/> divided by <paramref name="divisor"/>.</summary>
    /// <exception cref="DivideByZeroException"><paramref name="divisor"/> is 0.</exception>
    public static double Divide(double dividend, double divisor)
    {
        if (divisor == 0)
        {
            throw new DivideByZeroException("Cannot divide by zero.");
        }

        return dividend / divisor;
    }
}
