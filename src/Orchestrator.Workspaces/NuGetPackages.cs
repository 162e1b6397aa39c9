namespace Orchestrator.Workspaces;

// NuGet inside the sandbox: the machine's packages folder is a read-only fallback (nothing already there is downloaded
// again, and nothing there can be changed), and what a restore downloads goes to the workspace's own folder inside its
// .git directory (never committed, never shared with another repository, deleted with the workspace). Only a restore
// step (network on) may write that folder; builds and tests read it.
internal sealed record NuGetPackages(string? MachineFolder, string? WorkspaceFolder)
{
    /// <summary>Where in a clone's git directory the downloaded packages go (next to the local forge's own data).</summary>
    public static readonly string WorkspaceFolderInGitDirectory = Path.Combine("orchestrator", "nuget-packages");

    public static NuGetPackages For(string workspace)
    {
        var gitDirectory = Path.Combine(workspace, ".git");
        string? workspaceFolder = null;
        if (FileKinds.Of(gitDirectory, followLinks: false) == FileKind.Directory)
        {
            workspaceFolder = Path.Combine(gitDirectory, WorkspaceFolderInGitDirectory);
            Directory.CreateDirectory(workspaceFolder);
        }

        return new NuGetPackages(MachinePackagesFolder(), workspaceFolder);
    }

    /// <summary>The variables the command gets; <paramref name="home"/> holds the packages when the workspace has no git directory.</summary>
    public IReadOnlyDictionary<string, string> Environment(string home, bool allowNetwork)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["NUGET_PACKAGES"] = WorkspaceFolder ?? Path.Combine(home, ".nuget", "packages"),
        };
        if (MachineFolder is not null)
        {
            variables["NUGET_FALLBACK_PACKAGES"] = MachineFolder;
        }

        if (!allowNetwork)
        {
            // The vulnerability audit downloads data from the package source: offline it can only fail (NU1900), and
            // a repository that treats warnings as errors would fail its build for it. The restore step audits.
            variables["NuGetAudit"] = "false";
        }

        return variables;
    }

    private static string? MachinePackagesFolder()
    {
        var configured = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        var folder = !string.IsNullOrWhiteSpace(configured)
            ? configured
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.IsPathFullyQualified(folder) && Directory.Exists(folder) ? Path.GetFullPath(folder) : null;
    }
}
