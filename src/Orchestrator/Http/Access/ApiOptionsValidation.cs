using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Orchestrator.Http.Access;

/// <summary>
/// Stops the orchestrator at start when the API would be open or its keys weak: no key, a short key, a key two names
/// share, a name that cannot travel as an environment variable. Messages name the key, never show its value.
/// </summary>
public sealed partial class ApiOptionsValidation : IValidateOptions<ApiOptions>
{
    public const int MinimumKeyLength = 32;
    public const int MaximumPermits = 10_000;

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        if (options.Keys.Count == 0)
        {
            failures.Add(
                $"{ApiOptions.Section}:Keys is empty: the HTTP API does not start without an API key. Set " +
                $"{ApiOptions.Section}:Keys:<name>=<key>, a random key of at least {MinimumKeyLength} characters (e.g. `openssl rand -hex 32`); " +
                "through the AppHost: `dotnet user-secrets set Api:Keys:<name> <key>` in Orchestrator.AppHost.");
        }

        foreach (var (keyName, key) in options.Keys)
        {
            CheckKey(keyName, key, failures);
        }

        foreach (var shared in options.Keys.Where(k => !string.IsNullOrEmpty(k.Value)).GroupBy(k => k.Value, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{string.Join(" and ", shared.Select(k => $"{ApiOptions.Section}:Keys:{k.Key}"))} hold the same key: give each client its own.");
        }

        CheckSubmissionLimit(options.SubmissionLimit, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckKey(string keyName, string? key, List<string> failures)
    {
        var setting = $"{ApiOptions.Section}:Keys:{keyName}";
        if (!KeyName().IsMatch(keyName))
        {
            // The name is shown, not the key: a name is not a secret.
            failures.Add($"{setting}: a key's name must be a letter followed by up to 31 letters, digits or '-' (it is logged, and travels as an environment variable).");
        }

        if (string.IsNullOrEmpty(key))
        {
            failures.Add($"{setting} is empty.");
        }
        else if (key.Length < MinimumKeyLength)
        {
            failures.Add($"{setting} is too short: an API key must have at least {MinimumKeyLength} characters (e.g. `openssl rand -hex 32`).");
        }
        else if (key.Any(c => c is <= ' ' or > '~'))
        {
            failures.Add($"{setting} has spaces, control or non-ASCII characters: a bearer key must be printable ASCII.");
        }
    }

    private static void CheckSubmissionLimit(SubmissionLimitOptions limit, List<string> failures)
    {
        if (limit.Permits is < 1 or > MaximumPermits)
        {
            failures.Add($"{ApiOptions.Section}:SubmissionLimit:Permits must be between 1 and {MaximumPermits}, not {limit.Permits}.");
        }

        if (limit.Window < TimeSpan.FromSeconds(1) || limit.Window > TimeSpan.FromDays(1))
        {
            failures.Add($"{ApiOptions.Section}:SubmissionLimit:Window must be between 00:00:01 and 1.00:00:00, not {limit.Window}.");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,31}$")]
    private static partial Regex KeyName();
}
