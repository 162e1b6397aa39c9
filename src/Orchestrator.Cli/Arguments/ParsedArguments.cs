using System.Globalization;

namespace Orchestrator.Cli.Arguments;

/// <summary>A command line after parsing: the command, its positional values, option values and flags.</summary>
internal sealed class ParsedArguments(
    CommandSpec? command,
    IReadOnlyList<string> positionals,
    IReadOnlyDictionary<string, string> values,
    IReadOnlySet<string> flags,
    string? api,
    bool help)
{
    /// <summary>Null when no command was given (only global options such as <c>--help</c>).</summary>
    public CommandSpec? Command { get; } = command;

    public IReadOnlyList<string> Positionals { get; } = positionals;

    /// <summary>The global <c>--api</c> value, if given.</summary>
    public string? Api { get; } = api;

    public bool Help { get; } = help;

    public string? Value(string option) => values.GetValueOrDefault(option);

    public bool Flag(string option) => flags.Contains(option);

    /// <summary>Reads a whole number option, rejecting zero and negatives with a usage error.</summary>
    public int PositiveInt(string option, int fallback)
    {
        var raw = Value(option);
        if (raw is null)
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new UsageException($"{option} needs a positive whole number, not '{raw}'", Command?.Name);
        }

        return value;
    }

    /// <summary>Reads a duration in (possibly fractional) seconds, e.g. <c>--timeout 90</c> or <c>--timeout 0.5</c>.</summary>
    public TimeSpan? PositiveSeconds(string option)
    {
        var raw = Value(option);
        if (raw is null)
        {
            return null;
        }

        if (!double.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || seconds <= 0
            || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw new UsageException($"{option} needs a positive number of seconds, not '{raw}'", Command?.Name);
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Feature ids are GUIDs; checking here turns a typo into an instant error rather than a 404 wait.</summary>
    public string FeatureId(int position = 0)
    {
        var raw = Positionals[position];
        if (!Guid.TryParse(raw, out var id))
        {
            throw new UsageException($"'{raw}' is not a feature id (expected a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301)", Command?.Name);
        }

        return id.ToString("D");
    }
}
