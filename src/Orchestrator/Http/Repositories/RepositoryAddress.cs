using System.Text.RegularExpressions;

namespace Orchestrator.Http.Repositories;

/// <summary>A remote repository as git would reach it: scheme, lower-case host, port (null: the default) and path.</summary>
public sealed record RemoteLocation(string Scheme, string Host, int? Port, string Path)
{
    public string Authority => Port is { } port ? $"{Host}:{port}" : Host;
}

/// <summary>
/// What a submitted repository is, read the way git reads it: a local path (plain or <c>file://</c>), a remote
/// (http, https, ssh, or scp-like <c>user@host:path</c>), or refused with the reason. Refusals never quote the value:
/// it may hold a credential.
/// </summary>
public sealed partial record RepositoryAddress(string? LocalPath, RemoteLocation? Remote, string? Refusal)
{
    public const string CredentialsRefusal =
        "The repository URL must not carry credentials (a user name, password or token before '@'): the merge service " +
        "authenticates with its own forge token (Forge:GitHub:Token).";

    public static RepositoryAddress Parse(string value)
    {
        if (value.Any(char.IsControl))
        {
            return Refused("The repository must not contain control characters (such as line breaks).");
        }

        if (value.StartsWith('-'))
        {
            return Refused("The repository must not start with '-': git would read it as an option.");
        }

        if (TransportPrefix().IsMatch(value))
        {
            return Refused("Remote helper transports ('<transport>::<address>', such as ext::) are not accepted: give an http(s) or ssh URL.");
        }

        if (Uri.UnescapeDataString(value).Split('/', '\\').Contains(".."))
        {
            return Refused("The repository must not contain '..' path segments.");
        }

        var separator = value.IndexOf("://", StringComparison.Ordinal);
        if (separator > 0 && SchemeName().IsMatch(value[..separator]))
        {
            return FromUrl(value, value[..separator].ToLowerInvariant());
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return colon > 0 && (slash < 0 || slash > colon) ? FromScpLike(value[..colon], value[(colon + 1)..]) : new(value, null, null);
    }

    private static RepositoryAddress FromUrl(string value, string scheme)
    {
        switch (scheme)
        {
            case "file":
                return FromFileUrl(value);
            case "http" or "https" or "ssh":
                break;
            case "git":
                return Refused("git:// URLs are neither authenticated nor encrypted: use https:// or ssh://.");
            default:
                return Refused($"'{scheme}://' repositories are not accepted: use an http(s) or ssh URL.");
        }

        var rest = value[(scheme.Length + 3)..];
        var authority = rest[..(rest.IndexOfAny(['/', '?', '#']) is var end and >= 0 ? end : rest.Length)];
        var at = authority.LastIndexOf('@');
        if (at >= 0 && (scheme != "ssh" || !SshUser().IsMatch(authority[..at])))
        {
            return Refused(CredentialsRefusal);
        }

        if (value.Any(c => c is '\\' or ' ')
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || string.IsNullOrEmpty(uri.Host)
            || !SameHost(authority[(at + 1)..], uri))
        {
            return Refused("The repository URL is not a valid URL.");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return Refused("The repository URL must not have a query ('?…') or a fragment ('#…').");
        }

        var port = uri.IsDefaultPort || uri.Port < 0 || uri.Port == DefaultPort(scheme) ? (int?)null : uri.Port;
        return new(null, new RemoteLocation(scheme, uri.IdnHost.ToLowerInvariant(), port, uri.AbsolutePath), null);
    }

    // What System.Uri calls the host must be what the text says, or git (through curl or ssh) might reach another one.
    private static bool SameHost(string hostAndPort, Uri uri)
    {
        var host = hostAndPort.StartsWith('[') ? hostAndPort[..(hostAndPort.IndexOf(']', StringComparison.Ordinal) + 1)]
            : hostAndPort.Split(':')[0];
        return string.Equals(host, uri.Host, StringComparison.OrdinalIgnoreCase);
    }

    private static RepositoryAddress FromFileUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !uri.IsFile)
        {
            return Refused("The repository is not a valid file:// URL.");
        }

        return uri.Host.Length > 0
            ? Refused("A file:// repository must be a path on this machine, with no host: file:///path.")
            : new(uri.LocalPath, null, null);
    }

    private static RepositoryAddress FromScpLike(string userAndHost, string path)
    {
        var at = userAndHost.LastIndexOf('@');
        if (at >= 0 && !SshUser().IsMatch(userAndHost[..at]))
        {
            return Refused(CredentialsRefusal);
        }

        var host = userAndHost[(at + 1)..];
        if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4) || path.Length == 0)
        {
            return Refused("The repository is neither a URL, nor user@host:path, nor an absolute local path.");
        }

        return new(null, new RemoteLocation("ssh", host.ToLowerInvariant(), null, "/" + path.TrimStart('/')), null);
    }

    private static RepositoryAddress Refused(string reason) => new(null, null, reason);

    private static int DefaultPort(string scheme) => scheme switch
    {
        "http" => 80,
        "https" => 443,
        _ => 22,
    };

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*::")]
    private static partial Regex TransportPrefix();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*$")]
    private static partial Regex SchemeName();

    // An ssh login name, not a secret; anything with ':' or other punctuation may be a password or token.
    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex SshUser();
}
