using System.Text;

namespace Orchestrator.Merge.Forges.GitHub;

/// <summary>
/// The environment that lets git send a GitHub token over https without the token appearing in the remote URL, the
/// command line or any config file: git reads <c>GIT_CONFIG_COUNT</c>/<c>GIT_CONFIG_KEY_n</c>/<c>GIT_CONFIG_VALUE_n</c>
/// as configuration for that one process, and <c>http.&lt;url&gt;.extraheader</c> applies only to URLs under the host.
/// </summary>
public static class GitHubCredentials
{
    /// <summary>The user name GitHub expects with a token in basic authentication.</summary>
    public const string UserName = "x-access-token";

    /// <summary>
    /// Variables scoped to <paramref name="host"/> (its scheme and authority; any path is ignored): the token, and the
    /// private certificate authorities to trust for it (<c>http.&lt;host&gt;.sslCAInfo</c>) when <paramref name="caFile"/> is given.
    /// </summary>
    public static IReadOnlyDictionary<string, string> GitEnvironment(Uri host, string token, string? caFile = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        if (!host.IsAbsoluteUri || (host.Scheme != Uri.UriSchemeHttps && host.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("Git credentials are scoped to an http(s) host.", nameof(host));
        }

        var secret = token.Trim();
        if (secret.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            // A line break would let the value smuggle in a second header.
            throw new ArgumentException("The token contains whitespace or control characters.", nameof(token));
        }

        var scope = $"{host.Scheme}://{host.Authority}/";
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{secret}"));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GIT_CONFIG_COUNT"] = "1",
            ["GIT_CONFIG_KEY_0"] = $"http.{scope}.extraheader",
            ["GIT_CONFIG_VALUE_0"] = $"AUTHORIZATION: basic {basic}",
        };
        if (!string.IsNullOrWhiteSpace(caFile))
        {
            environment["GIT_CONFIG_COUNT"] = "2";
            environment["GIT_CONFIG_KEY_1"] = $"http.{scope}.sslCAInfo";
            environment["GIT_CONFIG_VALUE_1"] = Path.GetFullPath(caFile);

            // git lets GIT_SSL_CAINFO win over the per-host setting: extend that bundle instead of being ignored by it.
            if (Environment.GetEnvironmentVariable("GIT_SSL_CAINFO") is { Length: > 0 } inherited && File.Exists(inherited))
            {
                environment["GIT_SSL_CAINFO"] = GitHubCertificateAuthorities.CombinedBundle(caFile, inherited);
            }
        }

        return environment;
    }
}
