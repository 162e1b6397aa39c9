namespace Orchestrator.Workspaces;

/// <summary>A host folder mounted into the sandbox at the same path.</summary>
internal sealed record SandboxMount(string Path, bool Writable);

/// <summary>
/// What one sandboxed run sees of the host: an allow-list. The system folders and the named mounts are there (read-only
/// unless a mount says otherwise), the workspace is writable, HOME and /tmp are fresh in-memory folders; nothing else of
/// the host exists inside (no /home, /root, /var, /run, no other workspace, no service state).
/// </summary>
internal sealed record SandboxLayout
{
    /// <summary>The fresh HOME inside the sandbox (on its /tmp).</summary>
    public const string Home = "/tmp/home";

    public const string Temp = "/tmp";

    // The operating system and its configuration: programs, libraries, certificates, name resolution.
    private static readonly string[] SystemFolders = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"];

    public required string Workspace { get; init; }

    public required bool AllowNetwork { get; init; }

    /// <summary>Read-only system folders (a folder that is a link, such as /bin on merged-/usr systems, stays a link).</summary>
    public required IReadOnlyList<string> ReadOnlyFolders { get; init; }

    /// <summary>Mounted after the workspace, in order: a later mount may cover part of an earlier one.</summary>
    public required IReadOnlyList<SandboxMount> Mounts { get; init; }

    public required long TemporaryBytes { get; init; }

    /// <summary>The unprivileged uid the command runs as when the service is root; null otherwise.</summary>
    public SandboxUser? User { get; init; }

    public static SandboxLayout For(string workspace, bool allowNetwork, SandboxOptions options, NuGetPackages packages, SandboxUser? user)
    {
        var readOnly = new List<string>(SystemFolders);
        if (allowNetwork)
        {
            // Where /etc/resolv.conf points on systemd-resolved machines.
            readOnly.Add("/run/systemd/resolve");
        }

        // A toolchain the service itself was told about (DOTNET_ROOT outside /usr), and what the operator adds.
        if (System.Environment.GetEnvironmentVariable("DOTNET_ROOT") is { } dotnetRoot && Path.IsPathFullyQualified(dotnetRoot))
        {
            readOnly.Add(dotnetRoot);
        }

        readOnly.AddRange(options.ExtraReadOnlyPaths);

        var mounts = new List<SandboxMount>();
        var gitDirectory = Path.Combine(workspace, ".git");
        if (FileKinds.Of(gitDirectory, followLinks: false) == FileKind.Directory)
        {
            // The service runs git here afterwards: hooks, filters or fsmonitor planted in .git/config would run outside.
            mounts.Add(new SandboxMount(gitDirectory, Writable: false));
        }

        if (packages.WorkspaceFolder is { } downloaded)
        {
            mounts.Add(new SandboxMount(downloaded, Writable: allowNetwork));
        }

        if (packages.MachineFolder is { } machine)
        {
            mounts.Add(new SandboxMount(machine, Writable: false));
        }

        return new SandboxLayout
        {
            Workspace = workspace,
            AllowNetwork = allowNetwork,
            ReadOnlyFolders = readOnly.Select(Path.TrimEndingDirectorySeparator).Distinct(StringComparer.Ordinal).ToList(),
            Mounts = mounts,
            TemporaryBytes = options.TemporarySpaceMegabytes * 1024L * 1024L,
            User = user,
        };
    }

    /// <summary>The variables the command gets on top of the allow-listed environment of <see cref="ProcessEnvironment"/>.</summary>
    public Dictionary<string, string> EnvironmentVariables(NuGetPackages packages)
    {
        return new Dictionary<string, string>(packages.Environment(Home, AllowNetwork), StringComparer.Ordinal)
        {
            ["HOME"] = Home,
            ["TMPDIR"] = Temp,
            ["DOTNET_CLI_HOME"] = Home,
            // The clone's .git stays the service's (see SandboxUser): git inside, run by the sandbox uid, would call
            // that "dubious ownership" and refuse. Inside the sandbox trusting the clone costs nothing.
            ["GIT_CONFIG_COUNT"] = "1",
            ["GIT_CONFIG_KEY_0"] = "safe.directory",
            ["GIT_CONFIG_VALUE_0"] = "*",
        };
    }
}
