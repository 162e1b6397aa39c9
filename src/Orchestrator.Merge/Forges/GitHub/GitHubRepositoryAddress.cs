using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Orchestrator.Merge.Forges.GitHub;

/// <summary>
/// A repository on a GitHub host, read from its clone URL: <c>https://host/owner/repo(.git)</c>,
/// <c>git@host:owner/repo(.git)</c> or <c>ssh://git@host/owner/repo(.git)</c>. Anything else is refused, including
/// plain http and URLs that carry credentials.
/// </summary>
/// <param name="Host">The host name, lower case, without a port.</param>
/// <param name="HttpsRoot">For https clone URLs, <c>https://host[:port]/</c>, the scope git credentials are given for; null for SSH.</param>
public sealed partial record GitHubRepositoryAddress(string Host, string Owner, string Name, Uri? HttpsRoot)
{
    /// <summary>The port the URL names, or null for its scheme's default.</summary>
    public int? Port { get; init; }

    public string FullName => $"{Owner}/{Name}";

    public static GitHubRepositoryAddress Parse(string url) =>
        TryParse(url, out var address)
            ? address
            : throw new FormatException(
                $"'{url}' is not a GitHub repository URL (https://host/owner/repo, git@host:owner/repo or ssh://git@host/owner/repo).");

    public static bool TryParse([NotNullWhen(true)] string? url, [NotNullWhen(true)] out GitHubRepositoryAddress? address)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(url) || url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        var scp = ScpLike().Match(url);
        if (scp.Success)
        {
            return TryCreate(scp.Groups["host"].Value, scp.Groups["path"].Value, httpsRoot: null, out address);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment)
            || uri.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            return false;
        }

        var https = uri.Scheme == Uri.UriSchemeHttps && uri.UserInfo.Length == 0;
        // ssh://[user@]host[:port]/owner/repo; a password in an SSH URL is never right.
        var ssh = uri.Scheme == "ssh" && !uri.UserInfo.Contains(':', StringComparison.Ordinal);
        if (!(https || ssh) || !TryCreate(uri.Host, uri.AbsolutePath, https ? new Uri($"https://{uri.Authority}/") : null, out address))
        {
            return false;
        }

        address = address with { Port = uri.IsDefaultPort ? null : uri.Port };
        return true;
    }

    public override string ToString() => $"{Host}/{FullName}";

    private static bool TryCreate(string host, string path, Uri? httpsRoot, [NotNullWhen(true)] out GitHubRepositoryAddress? address)
    {
        address = null;
        var match = OwnerAndName().Match(path);
        if (!match.Success)
        {
            return false;
        }

        var name = match.Groups["name"].Value;
        if (name is "." or "..")
        {
            return false;
        }

        address = new GitHubRepositoryAddress(host.ToLowerInvariant(), match.Groups["owner"].Value, name, httpsRoot);
        return true;
    }

    // user@host:owner/repo — git's scp-like syntax; the user part is required so that "C:/x" or "host:path" is not taken for it.
    [GeneratedRegex(@"^(?<user>[A-Za-z0-9._-]+)@(?<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(?<path>[^/].*)$")]
    private static partial Regex ScpLike();

    // Exactly two segments; ".git" and one trailing slash are optional.
    [GeneratedRegex(@"^/?(?<owner>[A-Za-z0-9][A-Za-z0-9_.-]*)/(?<name>[A-Za-z0-9._-]+?)(?:\.git)?/?$")]
    private static partial Regex OwnerAndName();
}
