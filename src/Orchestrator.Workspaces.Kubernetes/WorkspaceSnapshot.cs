namespace Orchestrator.Workspaces.Kubernetes;

/// <summary>
/// The workspace as one run's Job sees it: its working tree (uncommitted and untracked files included) committed on
/// a private ref of its staging repository, pushed with the task's credential, deleted when the run is over. The
/// workspace's HEAD, index and branches stay as they were.
/// </summary>
internal sealed class WorkspaceSnapshot(ProcessRunner processes, string workspace, RemoteWorkspace remote, string reference)
{
    // Deleting the ref must not wait on a run that was cancelled, nor forever on a staging server that is gone.
    private static readonly TimeSpan DeleteTimeout = TimeSpan.FromSeconds(30);

    private readonly GitRepository _git = new(processes, workspace, remote.GitEnvironment);
    private bool _pushed;

    private string Destination => remote.PushRepository ?? remote.Repository;

    /// <exception cref="SandboxUnavailableException">The staging repository refused the snapshot; the message says why.</exception>
    public async Task PushAsync(CancellationToken cancellationToken)
    {
        try
        {
            var commit = await _git.SnapshotWorkingTreeAsync($"Workspace snapshot for {reference}", cancellationToken);
            await _git.PushToRefAsync(Destination, commit, reference, cancellationToken);
            _pushed = true;
        }
        catch (GitCommandException ex)
        {
            throw new SandboxUnavailableException(
                $"Repository commands could not run as Kubernetes Jobs: the workspace could not be sent to its staging repository ({ex.Message}).");
        }
    }

    /// <summary>Deletes the ref when it was pushed; the reason when that failed, else null.</summary>
    public async Task<string?> DeleteAsync()
    {
        if (!_pushed)
        {
            return null;
        }

        using var timeout = new CancellationTokenSource(DeleteTimeout);
        try
        {
            await _git.DeleteRemoteRefAsync(Destination, reference, timeout.Token);
            return null;
        }
        catch (Exception ex) when (ex is GitCommandException or OperationCanceledException)
        {
            return ex.Message;
        }
    }
}
