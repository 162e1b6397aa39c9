using System.CommandLine;
using System.Globalization;
using Orchestrator.Cli.CommandLine;

namespace Orchestrator.Cli.Commands;

/// <summary>The options <c>watch</c> and <c>submit --watch</c> share; each command words their help its own way.</summary>
internal sealed class WatchOptionSymbols(string intervalDescription, string timeoutDescription)
{
    public FlagOption SummaryJson { get; } = new("--summary-json", "End with one compact JSON line summarising the result.");

    public ValueOption<int> Interval { get; } =
        new("--interval-ms", "ms", intervalDescription, TryParsePositiveInt, "needs a positive whole number")
        {
            DefaultValueFactory = _ => WatchOptions.DefaultIntervalMs,
        };

    public ValueOption<TimeSpan?> Timeout { get; } =
        new("--timeout", "seconds", timeoutDescription, TryParseSeconds, "needs a positive number of seconds");

    public void AddTo(Command command)
    {
        command.Options.Add(SummaryJson);
        command.Options.Add(Interval);
        command.Options.Add(Timeout);
    }

    public WatchOptions Read(ParseResult parseResult) => new(
        TimeSpan.FromMilliseconds(parseResult.GetValue(Interval)),
        parseResult.GetValue(Timeout),
        parseResult.GetValue(SummaryJson));

    private static bool TryParsePositiveInt(string raw, out int value) =>
        int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    // Fractional seconds are allowed (`--timeout 0.5`); the upper bound keeps TimeSpan arithmetic from overflowing.
    private static bool TryParseSeconds(string raw, out TimeSpan? value)
    {
        value = null;
        if (!double.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || seconds <= 0
            || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
