using Microsoft.Extensions.Options;

namespace Orchestrator.Http.Repositories;

/// <summary>
/// Stops the orchestrator at start when an allow-list entry cannot be read, naming the entry by its index (an entry
/// is not quoted: a mistaken prefix may hold a credential).
/// </summary>
public sealed class RepositoryOptionsValidation : IValidateOptions<RepositoryOptions>
{
    public ValidateOptionsResult Validate(string? name, RepositoryOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.AllowedHosts.Count; i++)
        {
            if (AllowedHost.TryParse(options.AllowedHosts[i]) is null)
            {
                failures.Add($"{RepositoryOptions.Section}:AllowedHosts:{i} is not a host name or host:port (e.g. github.com, ghe.example.com:8443).");
            }
        }

        for (var i = 0; i < options.AllowedPrefixes.Count; i++)
        {
            var parsed = RepositoryAddress.Parse(options.AllowedPrefixes[i]?.Trim() ?? "");
            if (parsed.Remote is null)
            {
                failures.Add($"{RepositoryOptions.Section}:AllowedPrefixes:{i} is not an http(s) or ssh URL prefix " +
                    $"(e.g. https://github.com/my-org/): {parsed.Refusal ?? "it is a local path"}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
