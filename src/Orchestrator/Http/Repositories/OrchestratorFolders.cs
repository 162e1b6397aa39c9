using Microsoft.Data.Sqlite;
using Orchestrator.Workspaces;

namespace Orchestrator.Http.Repositories;

/// <summary>
/// The folders the services keep their own data in — feature state, staging repositories, work clones, cassettes —
/// which must never be submitted as a repository, even when local repositories are allowed: a feature there would
/// read or overwrite another feature's work. The AppHost passes the <c>Agents</c> and <c>Merge</c> sections on to the
/// orchestrator too; unset, a service uses its default under the temp folder, which is refused as a whole.
/// </summary>
public sealed class OrchestratorFolders(IConfiguration configuration)
{
    /// <summary>Each folder with the words that name it in a refusal (the setting, not the path).</summary>
    public IEnumerable<(string Path, string Description)> All()
    {
        if (StateFolder() is { } state)
        {
            yield return (state, "the feature state folder (ConnectionStrings:state)");
        }

        foreach (var (key, description) in new[]
        {
            ("Merge:Staging:Root", "the merge service's staging repositories (Merge:Staging:Root)"),
            ("Merge:WorkRoot", "the merge service's work folder (Merge:WorkRoot)"),
            ("Agents:WorkRoot", "the agents' work folder (Agents:WorkRoot)"),
            ("Planner:WorkRoot", "the planner's read-only clones (Planner:WorkRoot)"),
            ("Models:CassettesPath", "the model cassettes (Models:CassettesPath)"),
        })
        {
            if (configuration[key] is { Length: > 0 } configured)
            {
                yield return (Path.GetFullPath(configured), description);
            }
        }

        yield return (Path.Combine(Path.GetTempPath(), "orchestrator"), "the services' default work folders (<temp>/orchestrator)");
        yield return (Path.Combine(Path.GetTempPath(), "orchestrator-ca"), "the merge service's certificate folder (<temp>/orchestrator-ca)");
    }

    /// <summary>What names the service folder <paramref name="absolutePath"/> is in, or null; symbolic links are followed.</summary>
    public string? Holding(string absolutePath)
    {
        var candidate = Canonical(absolutePath);
        foreach (var (folder, description) in All())
        {
            var relative = Path.GetRelativePath(Canonical(folder), candidate);
            if (relative == "." || !(relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative)))
            {
                return description;
            }
        }

        return null;
    }

    // Only the SQLite store has a folder; PostgreSQL's state is in the database server.
    private string? StateFolder()
    {
        var connectionString = OrchestratorServiceExtensions.StateConnectionString(configuration);
        if (Orchestrator.Persistence.PostgresSagaRepositoryOptions.IsPostgres(connectionString))
        {
            return null;
        }

        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        return string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" ? null : Path.GetDirectoryName(Path.GetFullPath(dataSource));
    }

    // The deepest existing folder with its links resolved (as the workspaces resolve them), plus the part not there yet.
    private static string Canonical(string absolutePath)
    {
        var existing = Path.TrimEndingDirectorySeparator(Path.GetFullPath(absolutePath));
        var rest = "";
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            rest = rest.Length == 0 ? Path.GetFileName(existing) : Path.Join(Path.GetFileName(existing), rest);
            existing = parent;
        }

        return Path.Join(new WorkspaceRoot(existing).Directory, rest);
    }
}
