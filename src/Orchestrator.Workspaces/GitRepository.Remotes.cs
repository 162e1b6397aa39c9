namespace Orchestrator.Workspaces;

public sealed partial class GitRepository
{
    private const string Origin = "origin";

    /// <summary>Adds the remote <paramref name="name"/> for <paramref name="source"/> (a URL or a local path).</summary>
    public async Task AddRemoteAsync(string name, string source, CancellationToken ct)
    {
        GitCli.ValidateBranchName(name, nameof(name));
        GitCli.ValidateSource(source, nameof(source));
        await RunCheckedAsync(["remote", "add", "--", name, GitCli.NormalizeSource(source)], ct).ConfigureAwait(false);
    }

    /// <summary>Updates <c>origin/&lt;branch&gt;</c> from the remote, even when it was rewritten.</summary>
    public Task FetchAsync(string remoteBranch, CancellationToken ct) => FetchAsync(Origin, remoteBranch, ct);

    /// <summary>Updates <c>&lt;remote&gt;/&lt;branch&gt;</c> from the remote <paramref name="remote"/>, even when it was rewritten.</summary>
    public async Task FetchAsync(string remote, string branch, CancellationToken ct)
    {
        GitCli.ValidateBranchName(remote, nameof(remote));
        GitCli.ValidateBranchName(branch, nameof(branch));
        await RunCheckedAsync(
            ["fetch", "--quiet", "--no-tags", "--", remote, $"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"], ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies <paramref name="branch"/> of <paramref name="source"/> (a URL or a local path) into this repository's own
    /// branch of the same name, even when it was rewritten: how a bare repository mirrors one branch of another.
    /// </summary>
    public async Task FetchBranchFromAsync(string source, string branch, CancellationToken ct)
    {
        GitCli.ValidateSource(source, nameof(source));
        GitCli.ValidateBranchName(branch, nameof(branch));
        await RunCheckedAsync(
            ["fetch", "--quiet", "--no-tags", "--", GitCli.NormalizeSource(source), $"+refs/heads/{branch}:refs/heads/{branch}"], ct)
            .ConfigureAwait(false);
    }

    /// <summary>Pushes <paramref name="branch"/> to the branch of the same name on origin; <paramref name="force"/> replaces a rewritten one.</summary>
    public async Task PushAsync(string branch, bool force, CancellationToken ct)
    {
        GitCli.ValidateBranchName(branch, nameof(branch));
        var refspec = $"refs/heads/{branch}:refs/heads/{branch}";
        string[] arguments = force ? ["push", "--force", Origin, refspec] : ["push", Origin, refspec];
        await RunCheckedAsync(arguments, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Points <paramref name="branch"/> of <paramref name="destination"/> (a URL, a local path or a remote name) at
    /// <paramref name="commit"/>, replacing what it held: how a commit is handed on without checking it out.
    /// </summary>
    public async Task PushCommitToBranchAsync(string destination, string commit, string branch, CancellationToken ct)
    {
        GitCli.ValidateSource(destination, nameof(destination));
        GitCli.ValidateRevision(commit, nameof(commit));
        GitCli.ValidateBranchName(branch, nameof(branch));
        await RunCheckedAsync(["push", "--quiet", "--no-verify", "--", GitCli.NormalizeSource(destination), $"+{commit}:refs/heads/{branch}"], ct)
            .ConfigureAwait(false);
    }

    /// <summary>Deletes <paramref name="branches"/> from <paramref name="destination"/> (a URL, a local path or a remote name).</summary>
    internal async Task DeleteRemoteBranchesAsync(string destination, IReadOnlyList<string> branches, CancellationToken ct)
    {
        GitCli.ValidateSource(destination, nameof(destination));
        ArgumentNullException.ThrowIfNull(branches);
        foreach (var branch in branches)
        {
            GitCli.ValidateBranchName(branch, nameof(branches));
        }

        if (branches.Count == 0)
        {
            return;
        }

        await RunCheckedAsync(
            ["push", "--delete", "--", GitCli.NormalizeSource(destination), .. branches.Select(b => $"refs/heads/{b}")], ct).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="source"/> (a URL, a local path or a remote name) has <paramref name="branch"/>.</summary>
    public async Task<bool> RemoteBranchExistsAsync(string source, string branch, CancellationToken ct)
    {
        GitCli.ValidateSource(source, nameof(source));
        GitCli.ValidateBranchName(branch, nameof(branch));

        string[] arguments = ["ls-remote", "--heads", "--exit-code", "--", GitCli.NormalizeSource(source), $"refs/heads/{branch}"];
        var result = await ExecuteAsync(arguments, ct).ConfigureAwait(false);

        // --exit-code: 2 means the repository answered and has no such ref.
        if (!result.TimedOut && result.ExitCode == 2)
        {
            return false;
        }

        if (!result.Succeeded)
        {
            throw GitCli.Failure(arguments, result);
        }

        return GitCli.HeadsIn(result.Output).Contains(branch, StringComparer.Ordinal);
    }
}
