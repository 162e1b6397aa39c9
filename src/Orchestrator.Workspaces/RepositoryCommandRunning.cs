namespace Orchestrator.Workspaces;

/// <summary>
/// Runs a command of a repository (its restore, build or test): code nobody has reviewed, chosen by the repository
/// or by a model. Every implementation must keep the service's secrets and the rest of the machine out of the
/// command's reach, let it change nothing but its workspace, and leave no process behind. The local implementation is
/// <see cref="BubblewrapCommandRunner"/>; <see cref="UnsandboxedCommandRunner"/> exists only for <c>Sandbox:Mode=none</c>.
/// </summary>
public interface IRepositoryCommandRunner
{
    /// <exception cref="SandboxUnavailableException">The sandbox cannot run here; the message says what to do.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled; its processes were killed.</exception>
    Task<RepositoryCommandResult> RunAsync(RepositoryCommandRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// True when each run starts from nothing (a fresh pod): a separate restore run would leave its packages behind, so
    /// <see cref="RepositoryCommandSteps.RunAfterRestoreAsync"/> hands the restore step over in
    /// <see cref="RepositoryCommandRequest.RestoreFirst"/> instead.
    /// </summary>
    bool RestoresInTheSameRun => false;
}

/// <summary>One command to run in a workspace (a clone the command may change).</summary>
public sealed record RepositoryCommandRequest(string WorkspaceDirectory, RepositoryCommand Command)
{
    public RepositoryCommandLimits Limits { get; init; } = new();

    /// <summary>Builds and tests run offline; only a restore step (downloading packages) asks for the network.</summary>
    public bool AllowNetwork { get; init; }

    /// <summary>
    /// A restore step to run first, in the same run, with the network; a failure ends the run with its result. Only set
    /// for a runner that asks for it (<see cref="IRepositoryCommandRunner.RestoresInTheSameRun"/>).
    /// </summary>
    public RepositoryCommand? RestoreFirst { get; init; }

    /// <summary>
    /// Where a runner that does not share the workspace's disk gets it from: the workspace's staging repository. Null
    /// for local runners, which read the directory itself.
    /// </summary>
    public RemoteWorkspace? Remote { get; init; }
}

/// <summary>
/// The staging repository a workspace was cloned from, as a runner on another machine reaches it. The runner pushes
/// a snapshot of the workspace to a private ref under <see cref="RunRefPrefix"/> (which the staging server lets this
/// credential create and delete), and its Job clones that ref.
/// </summary>
/// <param name="Repository">The URL the Job clones from (the staging server's, as the cluster names it).</param>
/// <param name="GitEnvironment">Environment that gives git the credential for <paramref name="Repository"/>: secret.</param>
/// <param name="RunRefPrefix">Full ref prefix the snapshot refs go under, ending in '/' (e.g. <c>refs/orchestrator/runs/tasks/implement/</c>).</param>
public sealed record RemoteWorkspace(string Repository, IReadOnlyDictionary<string, string> GitEnvironment, string RunRefPrefix)
{
    /// <summary>
    /// Where the snapshot is pushed when that is not <see cref="Repository"/> (the merge service writes straight into
    /// its own staging repository on disk, whose HTTP endpoint lets no reader push).
    /// </summary>
    public string? PushRepository { get; init; }

    // The credential stays out of logs and exception messages that print the request.
    public override string ToString() =>
        $"RemoteWorkspace {{ Repository = {Repository}, RunRefPrefix = {RunRefPrefix}, GitEnvironment = ({GitEnvironment.Count} secret variables) }}";
}

/// <summary>What one run may use. Null limits take the runner's configured defaults (<see cref="SandboxOptions"/>).</summary>
public sealed record RepositoryCommandLimits
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Combined stdout and stderr characters kept: the head and the tail, with a note of what was cut.</summary>
    public int MaxOutputChars { get; init; } = 64_000;

    /// <summary>Memory each process of the command may allocate, in bytes.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>Processes (threads count too) the command may have at once.</summary>
    public int? MaxProcesses { get; init; }
}

/// <summary>The outcome of a run. <see cref="Output"/> interleaves stdout and stderr.</summary>
public sealed record RepositoryCommandResult(int ExitCode, string Output, bool TimedOut, TimeSpan Duration)
{
    /// <summary>The command ended by a signal (a timeout's kill, or, as the sandbox reports it, an exit code of 128 + signal).</summary>
    public bool Killed { get; init; }

    /// <summary>False only under <c>Sandbox:Mode=none</c>: the command ran with the service's own view of the machine.</summary>
    public bool Sandboxed { get; init; }

    public bool Succeeded => ExitCode == 0 && !TimedOut;
}

/// <summary>Repository commands are refused because the sandbox cannot run on this machine; the message names the fix.</summary>
public sealed class SandboxUnavailableException(string message) : Exception(message);
