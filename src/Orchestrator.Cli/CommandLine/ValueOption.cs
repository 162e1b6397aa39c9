using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Cli.CommandLine;

/// <summary>Converts one option value; false means the value does not fit.</summary>
internal delegate bool TryConvert<T>(string raw, [MaybeNullWhen(false)] out T value);

/// <summary>
/// An option that takes one value. A value that does not fit gets one line saying what was expected, instead of
/// System.CommandLine's type-conversion message.
/// </summary>
internal sealed class ValueOption<T> : Option<T>
{
    private readonly TryConvert<T> _convert;
    private readonly string _expectation;

    /// <param name="expectation">Completes "--name ..., not 'value'", e.g. "needs a positive whole number".</param>
    public ValueOption(string name, string valueName, string description, TryConvert<T> convert, string expectation)
        : base(name)
    {
        HelpName = valueName;
        Description = description;
        _convert = convert;
        _expectation = expectation;
        CustomParser = Parse;
    }

    private T? Parse(ArgumentResult result)
    {
        // No value at all is reported by System.CommandLine itself (and translated by UsageError).
        if (result.Tokens.Count == 0)
        {
            return default;
        }

        var raw = result.Tokens[^1].Value;

        // System.CommandLine takes the next word as the value even when it is another option; that is almost
        // certainly a forgotten value, not a value that starts with "--".
        if (raw.StartsWith("--", StringComparison.Ordinal))
        {
            result.AddError(UsageError.OptionNeedsValue(Name));
            return default;
        }

        if (_convert(raw, out var value))
        {
            return value;
        }

        result.AddError($"{Name} {_expectation}, not '{raw}'");
        return default;
    }
}
