using System.Globalization;

namespace Orchestrator.Cli.CommandLine;

/// <summary><c>--token-budget &lt;tokens&gt;</c>: a positive whole number of tokens, or a usage error saying so.</summary>
internal static class TokenBudgetOption
{
    public static ValueOption<long?> Create(string description) =>
        new("--token-budget", "tokens", description, TryParsePositive, "needs a positive whole number");

    private static bool TryParsePositive(string raw, out long? value)
    {
        value = long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var tokens) && tokens > 0 ? tokens : null;
        return value is not null;
    }
}
