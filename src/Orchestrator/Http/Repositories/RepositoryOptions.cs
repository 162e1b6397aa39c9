namespace Orchestrator.Http.Repositories;

/// <summary>
/// Configuration section <c>Repositories</c>: which repositories a feature may target. A submitted repository makes
/// the merge service and the agents clone it, so this list decides where the system reaches out to.
/// </summary>
public sealed class RepositoryOptions
{
    public const string Section = "Repositories";

    /// <summary>The host allowed when neither list is set: GitHub, the forge the merge service opens pull requests on.</summary>
    public const string DefaultHost = "github.com";

    /// <summary>
    /// Accept local paths and <c>file://</c> URLs (the demo and the end-to-end tests). Off by default: a path lets a
    /// caller point the services at any folder they can read.
    /// </summary>
    public bool AllowLocal { get; set; }

    /// <summary>
    /// Hosts whose http, https and ssh URLs are accepted: <c>host</c> (on the scheme's default port) or
    /// <c>host:port</c>. When this and <see cref="AllowedPrefixes"/> are both empty, <see cref="DefaultHost"/>.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>
    /// URL prefixes accepted as well, to narrow a host to some owners: <c>https://github.com/my-org/</c> accepts
    /// <c>https://github.com/my-org/app.git</c>, not <c>https://github.com/my-org-fork/app.git</c>. Scheme, host and
    /// port must match exactly; the path is compared segment by segment, case-sensitively.
    /// </summary>
    public List<string> AllowedPrefixes { get; set; } = [];
}
