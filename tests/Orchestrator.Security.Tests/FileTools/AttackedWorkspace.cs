using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agents;
using Orchestrator.Workspaces;

namespace Orchestrator.Security.Tests.FileTools;

/// <summary>
/// A task workspace as an agent gets it — a real git clone — of a repository whose commit carries hostile symbolic
/// links, next to a folder outside the workspace that holds a secret. The workspace tools are the agents' own
/// (<see cref="WorkspacePlugin"/> over <see cref="WorkspaceRoot"/>, with the real bubblewrap sandbox).
/// </summary>
public sealed class AttackedWorkspace : IAsyncLifetime
{
    public const string Secret = "CANARY-OUTSIDE-THE-WORKSPACE";

    private readonly TempDirectory _temp = new();

    public AttackedWorkspace()
    {
        Outside = _temp.CreateDirectory("outside");
        File.WriteAllText(Path.Combine(Outside, "secret.txt"), Secret + "\n");
        Workspace = _temp.Combine("workspace");
    }

    /// <summary>The folder next to the workspace that no tool may read or change.</summary>
    public string Outside { get; }

    public string Workspace { get; }

    public string GitConfig => Path.Combine(Workspace, ".git", "config");

    /// <summary>Committed links: each name in the repository and where it points (relative ones from the workspace root).</summary>
    public IReadOnlyDictionary<string, string> CommittedLinks => new Dictionary<string, string>
    {
        ["root"] = "/",
        ["environ"] = "/proc/self/environ",
        ["zero"] = "/dev/zero",
        ["secret-link"] = "../outside/secret.txt",
        ["outside-dir"] = "../outside",
        ["up"] = "..",
        ["gitdir"] = ".git",
        ["git-config"] = ".git/config",
        ["docs/climb"] = "../../outside",
        ["dangling"] = "../outside/planted.txt",
        ["dangling-absolute"] = Path.Combine(Outside, "planted-absolute.txt"),
        ["loop"] = "loop",
        ["ping"] = "pong",
        ["pong"] = "ping",
        ["self"] = ".",
    };

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var runner = Runners.Create();
        var origin = await GitRepository.InitBareAsync(runner, _temp.Combine("origin.git"), "main", ct);
        var seed = await GitRepository.InitAsync(runner, _temp.Combine("seed"), "main", ct);
        await seed.ConfigureIdentityAsync("Attacker", "attacker@example.invalid", ct);
        _temp.WriteFile("seed/README.md", "# Calculator\n");
        _temp.WriteFile("seed/docs/guide.md", "How to add numbers.\n");
        foreach (var (link, target) in CommittedLinks)
        {
            File.CreateSymbolicLink(_temp.Combine("seed", link), target);
        }

        await seed.CommitAllAsync("Hostile links", ct);
        await seed.AddRemoteAsync("origin", origin.WorkingDirectory, ct);
        await seed.PushAsync("main", force: false, ct);
        await GitRepository.CloneAsync(runner, origin.WorkingDirectory, "main", Workspace, ct);

        // git refuses to commit a nested .git; a build or a nested clone can still leave one on disk.
        _temp.WriteFile("workspace/vendor/lib/.git/config", "[core]\n\tsshCommand = touch /tmp/pwned\n");
    }

    public WorkspacePlugin Plugin(AgentOptions? options = null) =>
        new(new WorkspaceRoot(Workspace), Runners.Sandboxed(), options ?? new AgentOptions(), new ToolActivityLog(NullLogger.Instance, "attacker"));

    /// <summary>
    /// Everything an escape would change: the entries and contents outside, the workspace's git configuration and the
    /// nested one. Equal snapshots before and after an attack mean nothing reachable was written.
    /// </summary>
    public string Snapshot()
    {
        var outside = Directory.EnumerateFileSystemEntries(Outside, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(entry => $"{Path.GetRelativePath(Outside, entry)}={(File.Exists(entry) ? File.ReadAllText(entry) : "<dir>")}");
        return string.Join('\n', [.. outside, File.ReadAllText(GitConfig), File.ReadAllText(Path.Combine(Workspace, "vendor/lib/.git/config"))]);
    }

    /// <summary>Runs a tool call bounded by the suite's deadline: a tool that blocks (a FIFO, an endless file) fails the case.</summary>
    public static Task<string> BoundedAsync(Func<string> tool) =>
        Task.Run(tool, TestContext.Current.CancellationToken).WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }
}
