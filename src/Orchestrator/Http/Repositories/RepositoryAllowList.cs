using Microsoft.Extensions.Options;
using Orchestrator.Workspaces;

namespace Orchestrator.Http.Repositories;

/// <summary>
/// Decides whether a feature may target a repository, before anything is cloned or queued (<c>Repositories</c>
/// section): remote URLs on the allowed hosts or prefixes, local paths only when allowed and never inside the
/// services' own folders. The reason it gives never quotes the repository, which may hold a credential.
/// </summary>
public sealed class RepositoryAllowList(IOptionsMonitor<RepositoryOptions> options, OrchestratorFolders folders)
{
    /// <summary>Why <paramref name="repository"/> is refused, or null when it is allowed.</summary>
    public string? Refusal(string repository)
    {
        var address = RepositoryAddress.Parse(repository);
        if (address.Refusal is { } refusal)
        {
            return refusal;
        }

        var settings = options.CurrentValue;
        return address.LocalPath is { } path ? LocalRefusal(path, settings) : RemoteRefusal(address.Remote!, settings);
    }

    /// <summary>The hosts in force: the configured ones, or GitHub when neither list is configured.</summary>
    public static IReadOnlyList<string> HostsOf(RepositoryOptions settings) =>
        settings.AllowedHosts.Count == 0 && settings.AllowedPrefixes.Count == 0 ? [RepositoryOptions.DefaultHost] : settings.AllowedHosts;

    private string? LocalRefusal(string path, RepositoryOptions settings)
    {
        if (!settings.AllowLocal)
        {
            return "Local repositories (paths and file:// URLs) are not accepted here (Repositories:AllowLocal is off): give an http(s) or ssh URL.";
        }

        if (!Path.IsPathFullyQualified(path))
        {
            return "A local repository must be an absolute path: the services do not run in your working folder.";
        }

        try
        {
            return folders.Holding(path) is { } folder
                ? $"The repository is inside {folder}: the orchestrator's own folders are never accepted."
                : null;
        }
        catch (WorkspacePathException)
        {
            return "The repository path cannot be resolved: it has too many levels of symbolic links.";
        }
    }

    private static string? RemoteRefusal(RemoteLocation remote, RepositoryOptions settings)
    {
        if (HostsOf(settings).Any(entry => AllowedHost.TryParse(entry)?.Admits(remote) == true)
            || settings.AllowedPrefixes.Any(entry => AllowedPrefix.TryParse(entry)?.Admits(remote) == true))
        {
            return null;
        }

        return $"Repositories on '{remote.Authority}' over {remote.Scheme} are not accepted here: the host, or this path on it, is not in " +
            "Repositories:AllowedHosts or Repositories:AllowedPrefixes.";
    }
}

/// <summary>An entry of <c>Repositories:AllowedHosts</c>: <c>host</c> (default ports) or <c>host:port</c>.</summary>
public sealed record AllowedHost(string Host, int? Port)
{
    public static AllowedHost? TryParse(string? entry)
    {
        var text = entry?.Trim() ?? "";
        if (text.Length == 0 || text.IndexOfAny(['/', '@', '?', '#', '\\', ' ']) >= 0
            || !Uri.TryCreate($"ssh://{text}/", UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return null;
        }

        return new AllowedHost(uri.IdnHost.ToLowerInvariant(), uri.Port > 0 ? uri.Port : null);
    }

    public bool Admits(RemoteLocation remote) => remote.Host == Host && remote.Port == Port;
}

/// <summary>An entry of <c>Repositories:AllowedPrefixes</c>: a URL whose repositories below it are accepted.</summary>
public sealed record AllowedPrefix(RemoteLocation Location)
{
    public static AllowedPrefix? TryParse(string? entry) =>
        RepositoryAddress.Parse(entry?.Trim() ?? "").Remote is { } location ? new AllowedPrefix(location) : null;

    public bool Admits(RemoteLocation remote)
    {
        if (remote.Scheme != Location.Scheme || remote.Host != Location.Host || remote.Port != Location.Port)
        {
            return false;
        }

        // Whole segments only: "/my-org" admits "/my-org/app.git", never "/my-org-fork/app.git".
        var below = Location.Path.TrimEnd('/') + "/";
        return remote.Path.StartsWith(below, StringComparison.Ordinal) || remote.Path == below.TrimEnd('/');
    }
}
