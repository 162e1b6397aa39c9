namespace Orchestrator.Workspaces;

public sealed partial class GitRepository
{
    // A snapshot is a commit nobody reviews or merges: a fixed identity keeps it from depending on (or failing for
    // the lack of) the workspace's user.name.
    private static readonly (string Name, string Value)[] SnapshotIdentity =
    [
        ("GIT_AUTHOR_NAME", "orchestrator runner"),
        ("GIT_AUTHOR_EMAIL", "runner@orchestrator.invalid"),
        ("GIT_COMMITTER_NAME", "orchestrator runner"),
        ("GIT_COMMITTER_EMAIL", "runner@orchestrator.invalid"),
    ];

    /// <summary>
    /// Records the working tree as it is (uncommitted and untracked files included, ignored files not) as a commit
    /// whose parent is HEAD, without touching HEAD, the index, any branch or the working tree: a throw-away index file
    /// takes the staging. Returns the commit, which no ref names until it is pushed somewhere.
    /// </summary>
    public async Task<string> SnapshotWorkingTreeAsync(string message, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        var gitDirectory = await GitDirectoryAsync(ct).ConfigureAwait(false);
        var index = Path.Combine(gitDirectory, $"orchestrator-snapshot-{Guid.NewGuid():N}.index");
        var scratch = new GitRepository(_runner, WorkingDirectory, WithVariables(("GIT_INDEX_FILE", index)));
        try
        {
            var head = await TryResolveAsync("HEAD", ct).ConfigureAwait(false);
            if (head is not null)
            {
                await scratch.RunCheckedAsync(["read-tree", head], ct).ConfigureAwait(false);
            }

            await scratch.RunCheckedAsync(["add", "-A"], ct).ConfigureAwait(false);
            var tree = (await scratch.RunCheckedAsync(["write-tree"], ct).ConfigureAwait(false)).Output.Trim();
            string[] parent = head is null ? [] : ["-p", head];
            var identified = new GitRepository(_runner, WorkingDirectory, WithVariables(SnapshotIdentity));
            var commit = await identified.RunCheckedAsync(["commit-tree", tree, .. parent, "-m", message], ct).ConfigureAwait(false);
            return commit.Output.Trim();
        }
        finally
        {
            File.Delete(index);
        }
    }

    /// <summary>
    /// Points <paramref name="reference"/> (a full ref name outside <c>refs/heads/</c>, e.g. <c>refs/orchestrator/runs/…</c>)
    /// of <paramref name="destination"/> (a URL or a local path) at <paramref name="commit"/>, replacing what it named.
    /// </summary>
    public async Task PushToRefAsync(string destination, string commit, string reference, CancellationToken ct)
    {
        GitCli.ValidateSource(destination, nameof(destination));
        GitCli.ValidateRevision(commit, nameof(commit));
        ValidateFullRef(reference);
        if (reference.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            // Branches are pushed by PushAsync, as what they are; a snapshot is never a branch anyone could merge.
            throw new ArgumentException($"'{reference}' is a branch; a snapshot goes to a ref outside refs/heads/.", nameof(reference));
        }

        await RunCheckedAsync(["push", "--quiet", "--no-verify", "--", GitCli.NormalizeSource(destination), $"+{commit}:{reference}"], ct)
            .ConfigureAwait(false);
    }

    /// <summary>Deletes <paramref name="reference"/> (a full ref name) from <paramref name="destination"/> (a URL or a local path).</summary>
    public async Task DeleteRemoteRefAsync(string destination, string reference, CancellationToken ct)
    {
        GitCli.ValidateSource(destination, nameof(destination));
        ValidateFullRef(reference);
        await RunCheckedAsync(["push", "--quiet", "--no-verify", "--", GitCli.NormalizeSource(destination), $":{reference}"], ct)
            .ConfigureAwait(false);
    }

    private static void ValidateFullRef(string reference)
    {
        if (!reference.StartsWith("refs/", StringComparison.Ordinal) || !GitCli.IsValidBranchName(reference["refs/".Length..]))
        {
            throw new ArgumentException($"'{reference}' is not a valid full ref name.", nameof(reference));
        }
    }

    private Dictionary<string, string> WithVariables(params (string Name, string Value)[] variables)
    {
        var merged = environment is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(environment);
        foreach (var (name, value) in variables)
        {
            merged[name] = value;
        }

        return merged;
    }
}
