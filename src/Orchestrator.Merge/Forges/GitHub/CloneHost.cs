using System.Globalization;

namespace Orchestrator.Merge.Forges.GitHub;

/// <summary>
/// One entry of <c>Forge:GitHub:CloneHosts</c>: a host on its default port (<c>github.com</c>: 443 for https, 22 for
/// SSH), or a host on one port (<c>ghe.example.com:8443</c>).
/// </summary>
public sealed record CloneHost(string Host, int? Port)
{
    public static CloneHost? TryParse(string? entry)
    {
        var text = entry?.Trim();
        if (string.IsNullOrEmpty(text) || text.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        // host:port, the way URLs write it; an IPv6 address keeps its brackets.
        var colon = text.LastIndexOf(':');
        int? port = null;
        var host = text;
        if (colon > 0 && !text.EndsWith(']') && (text.Count(c => c == ':') == 1 || text.StartsWith('[')))
        {
            if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535)
            {
                return null;
            }

            port = value;
            host = text[..colon];
        }

        return Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown ? null : new CloneHost(host.Trim('[', ']').ToLowerInvariant(), port);
    }

    /// <summary>True when a clone URL's host and port (null: the scheme's default) are this entry's.</summary>
    public bool Matches(string host, int? port) =>
        string.Equals(Host, host, StringComparison.OrdinalIgnoreCase) && Port == port;

    public override string ToString() => Port is { } port ? $"{Host}:{port.ToString(CultureInfo.InvariantCulture)}" : Host;
}
