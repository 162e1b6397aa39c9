using System.Globalization;

namespace Orchestrator.Workspaces;

// A service running as root must not run a repository's command as root: root's processes ignore RLIMIT_NPROC (a fork
// bomb would not stop) and root owns nearly every file on the machine. bubblewrap started by root keeps root inside
// unless told otherwise, so the command runs under a fresh unprivileged uid of its own (no passwd entry, no files on
// the host), to which the workspace is lent for the run. A non-root service needs none of this: the user namespace
// bubblewrap makes then already counts the command's processes apart.
internal sealed class SandboxUser
{
    // Far above the ids of people, services and the usual subordinate-id ranges, and below 2^31 for tools that parse ids as int.
    private const uint FirstId = 1_500_000_000;
    private const int IdCount = 100_000_000;
    private static readonly TimeSpan ChownTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);

    private SandboxUser(uint id) => Id = id;

    public uint Id { get; }

    /// <summary>A new uid for one run when this process is root; null otherwise.</summary>
    public static SandboxUser? ForRunOfCurrentProcess() =>
        Environment.IsPrivilegedProcess ? new SandboxUser(FirstId + (uint)Random.Shared.Next(IdCount)) : null;

    /// <summary>
    /// Gives the workspace (and <paramref name="writableInGit"/>, a folder inside its .git) to this uid; disposing the
    /// loan gives them back to the workspace's owner once the uid's processes are gone.
    /// </summary>
    public async Task<IAsyncDisposable> BorrowAsync(
        ProcessRunner processes, string workspace, string? writableInGit, CancellationToken cancellationToken)
    {
        var (uid, gid) = FileKinds.OwnerOf(workspace);
        await ChownAsync(processes, workspace, writableInGit, Id, Id, cancellationToken);
        return new Loan(this, processes, workspace, writableInGit, uid, gid);
    }

    // Never through a link (-P, -h): a link changes hands itself, never what it points to. The clone's .git keeps its
    // owner: its object files may be hard links shared with the repository it was cloned from, and the sandbox mounts it
    // read-only anyway.
    private static async Task ChownAsync(
        ProcessRunner processes, string workspace, string? writableInGit, uint uid, uint gid, CancellationToken cancellationToken)
    {
        var owner = string.Create(CultureInfo.InvariantCulture, $"{uid}:{gid}");
        var trees = Directory.EnumerateFileSystemEntries(workspace)
            .Where(entry => Path.GetFileName(entry) != ".git")
            .Concat(writableInGit is null ? [] : [writableInGit])
            .ToList();
        await RunChownAsync(processes, workspace, ["-h", "--", owner, workspace], cancellationToken);
        if (trees.Count > 0)
        {
            await RunChownAsync(processes, workspace, ["-R", "-P", "-h", "--", owner, .. trees], cancellationToken);
        }
    }

    private static async Task RunChownAsync(ProcessRunner processes, string workspace, string[] arguments, CancellationToken cancellationToken)
    {
        var result = await processes.RunAsync(new ProcessSpec("chown", arguments, workspace) { Timeout = ChownTimeout }, cancellationToken);
        if (!result.Succeeded)
        {
            throw new IOException($"Could not change the owner of '{workspace}': {result.Output.Trim()}");
        }
    }

    private bool HasProcesses()
    {
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (uint.TryParse(Path.GetFileName(process), CultureInfo.InvariantCulture, out _) && RealUid(Path.Combine(process, "status")) == Id)
            {
                return true;
            }
        }

        return false;
    }

    private static uint? RealUid(string statusFile)
    {
        try
        {
            var line = File.ReadLines(statusFile).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var fields = line?.Split('\t', StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: > 1 } && uint.TryParse(fields[1], CultureInfo.InvariantCulture, out var uid) ? uid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process ended while we looked.
            return null;
        }
    }

    private sealed class Loan(SandboxUser user, ProcessRunner processes, string workspace, string? writableInGit, uint uid, uint gid)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // The sandbox's PID namespace dies with its first process, and its other processes with it, but a kill after a
            // timeout lands a moment later: wait for them, so nothing of the run writes after the workspace is handed back.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (user.HasProcesses() && waited.Elapsed < ExitWait)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }

            await ChownAsync(processes, workspace, writableInGit, uid, gid, CancellationToken.None);
        }
    }
}
