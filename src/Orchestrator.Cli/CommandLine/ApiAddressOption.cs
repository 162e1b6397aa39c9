using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Cli.CommandLine;

/// <summary>The global <c>--api</c> option: the API base URL, else <c>ORCHESTRATOR_API</c>, else the default.</summary>
internal static class ApiAddressOption
{
    public const string EnvironmentVariable = "ORCHESTRATOR_API";
    private const string Expectation = "must be an http:// or https:// URL";

    public static ValueOption<Uri> Create(CliSettings settings) =>
        new(
            "--api",
            "url",
            $"API base URL (default: ${EnvironmentVariable}, else http://localhost:5080)",
            (string raw, [MaybeNullWhen(false)] out Uri uri) => TryParse(raw, settings, out uri),
            Expectation)
        {
            // Accepted before the command (`orchestrator --api URL list`) as well as after it.
            Recursive = true,
            DefaultValueFactory = result => FromEnvironment(result, settings),
        };

    // Runs while parsing, so a bad ORCHESTRATOR_API is a usage error like a bad --api, before anything is sent.
    private static Uri FromEnvironment(ArgumentResult result, CliSettings settings)
    {
        var raw = settings.GetEnvironmentVariable(EnvironmentVariable);
        if (TryParse(raw ?? "", settings, out var uri))
        {
            return uri;
        }

        result.AddError($"{EnvironmentVariable} {Expectation}, not '{raw}'");
        return settings.DefaultApi;
    }

    private static bool TryParse(string raw, CliSettings settings, [MaybeNullWhen(false)] out Uri api)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            api = settings.DefaultApi;
            return true;
        }

        if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            api = null;
            return false;
        }

        // Relative paths resolve under the base only when it ends with '/', which an API under a path prefix needs.
        api = uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
        return true;
    }
}
