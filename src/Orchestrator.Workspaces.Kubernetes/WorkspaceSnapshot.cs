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
    // Set before the push: one cut short by a timeout may still have landed, and is deleted all the same.
    private bool _pushed;

    private string Destination => remote.PushRepository ?? remote.Repository;

    /// <exception cref="SandboxUnavailableException">The staging repository refused the snapshot; the message says why.</exception>
    /// <returns>The snapshot's commit: what the Job must find at the ref.</returns>
    public async Task<string> PushAsync(CancellationToken cancellationToken)
    {
        try
        {
            var commit = await _git.SnapshotWorkingTreeAsync($"Workspace snapshot for {reference}", cancellationToken);
            _pushed = true;
            await _git.PushToRefAsync(Destination, commit, reference, cancellationToken);
            return commit;
        }
        catch (GitCommandException ex)
        {
            // Refused: nothing landed (a push that timed out or was cancelled may have, so those keep the clean-up).
            _pushed = false;
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
