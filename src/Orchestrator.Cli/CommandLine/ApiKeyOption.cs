using System.CommandLine;
using System.CommandLine.Parsing;

namespace Orchestrator.Cli.CommandLine;

/// <summary>
/// The global <c>--api-key</c> option: the bearer key sent with every call, else <c>ORCHESTRATOR_API_KEY</c>, else
/// none (the API then answers 401). Errors never quote the value: it is a secret.
/// </summary>
internal static class ApiKeyOption
{
    public const string EnvironmentVariable = "ORCHESTRATOR_API_KEY";
    private const string Expectation = "must be printable ASCII without spaces";

    public static Option<string?> Create(CliSettings settings) =>
        new("--api-key")
        {
            HelpName = "key",
            Description = $"API key (default: ${EnvironmentVariable}; prefer the variable: an option's value shows in process lists)",
            Recursive = true,
            CustomParser = FromOption,
            DefaultValueFactory = result => FromEnvironment(result, settings),
        };

    private static string? FromOption(ArgumentResult result)
    {
        // No value at all is reported by System.CommandLine itself (and translated by UsageError).
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var raw = result.Tokens[^1].Value;

        // The next word taken as the value is almost certainly a forgotten value (see ValueOption).
        if (raw.StartsWith("--", StringComparison.Ordinal))
        {
            result.AddError(UsageError.OptionNeedsValue("--api-key"));
            return null;
        }

        if (!IsUsable(raw))
        {
            result.AddError($"--api-key {Expectation}");
            return null;
        }

        return raw;
    }

    // Runs while parsing, so an unusable ORCHESTRATOR_API_KEY is a usage error, before anything is sent.
    private static string? FromEnvironment(ArgumentResult result, CliSettings settings)
    {
        var raw = settings.GetEnvironmentVariable(EnvironmentVariable)?.Trim();
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        if (!IsUsable(raw))
        {
            result.AddError($"{EnvironmentVariable} {Expectation}");
            return null;
        }

        return raw;
    }

    private static bool IsUsable(string key) => key.Length > 0 && key.All(c => c is > ' ' and <= '~');
}
