namespace Orchestrator.Workspaces;

public sealed partial class GitRepository
{
    /// <summary>
    /// Merges <paramref name="revision"/> with a merge commit. On conflict the merge is aborted and the
    /// conflicting files are returned, so the working copy is never left half-merged.
    /// </summary>
    public async Task<MergeOutcome> MergeAsync(string revision, string message, CancellationToken ct)
    {
        var outcome = await MergeKeepingConflictsAsync(revision, message, ct).ConfigureAwait(false);
        if (!outcome.Merged)
        {
            await AbortMergeAsync(ct).ConfigureAwait(false);
        }

        return outcome;
    }

    /// <summary>
    /// Merges <paramref name="revision"/> with a merge commit. On conflict the merge stays in progress, with the
    /// markers in the files, for someone to resolve (then <see cref="CommitMergeAsync"/>) or give up on
    /// (<see cref="AbortMergeAsync"/>). A merge that fails for another reason is undone and throws.
    /// </summary>
    public async Task<MergeOutcome> MergeKeepingConflictsAsync(string revision, string message, CancellationToken ct)
    {
        GitCli.ValidateRevision(revision, nameof(revision));
        ArgumentException.ThrowIfNullOrWhiteSpace(message);

        string[] arguments = ["merge", "--no-ff", "--no-edit", "-m", message, "--end-of-options", revision];
        try
        {
            var result = await ExecuteAsync(arguments, ct).ConfigureAwait(false);
            if (result.Succeeded)
            {
                return new MergeOutcome(Merged: true, []);
            }

            var conflicts = result.TimedOut ? [] : await ConflictingFilesAsync(ct).ConfigureAwait(false);
            if (conflicts.Count > 0)
            {
                return new MergeOutcome(Merged: false, conflicts);
            }

            await AbortMergeAsync(ct).ConfigureAwait(false);
            throw GitCli.Failure(arguments, result);
        }
        catch (OperationCanceledException)
        {
            // A killed merge can leave MERGE_HEAD behind; the next user of this working copy must not inherit it.
            try
            {
                await AbortMergeAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (GitCommandException)
            {
                // Best effort: the cancellation is what the caller needs to see.
            }

            throw;
        }
    }

    /// <summary>The files a merge in progress left unmerged, as paths relative to the working directory.</summary>
    public async Task<IReadOnlyList<string>> ConflictingFilesAsync(CancellationToken ct)
    {
        // -z: a path is NUL-terminated and never quoted, whatever characters it holds.
        var result = await RunCheckedAsync(["diff", "--name-only", "--diff-filter=U", "-z"], ct).ConfigureAwait(false);
        return result.Output
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(name => name.Trim('\n', '\r'))
            .Where(name => name.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The working tree against the index: during a conflicted merge, the conflicting hunks with their markers.</summary>
    public async Task<string> WorkingTreeDiffAsync(CancellationToken ct)
    {
        // No external diff driver: the repository's configuration must not choose a program for us to run.
        var result = await RunCheckedAsync(["diff", "--no-ext-diff"], ct).ConfigureAwait(false);
        return result.Output.Trim();
    }

    /// <summary>Undoes a merge in progress, restoring the branch as it was; does nothing when no merge is in progress.</summary>
    public async Task AbortMergeAsync(CancellationToken ct)
    {
        if (await TryResolveAsync("MERGE_HEAD", ct).ConfigureAwait(false) is not null)
        {
            await RunCheckedAsync(["merge", "--abort"], ct).ConfigureAwait(false);
        }
    }

    /// <summary>Stages everything and concludes the merge in progress with git's prepared merge message.</summary>
    public async Task CommitMergeAsync(CancellationToken ct)
    {
        if (await TryResolveAsync("MERGE_HEAD", ct).ConfigureAwait(false) is null)
        {
            throw new GitCommandException($"No merge is in progress in {WorkingDirectory}.", string.Empty);
        }

        await RunCheckedAsync(["add", "-A"], ct).ConfigureAwait(false);
        await RunCheckedAsync(["commit", "--no-verify", "--no-edit"], ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether every commit of <paramref name="ancestor"/> is in <paramref name="descendant"/>: "no" is an answer,
    /// an unknown revision throws.
    /// </summary>
    public async Task<bool> IsAncestorAsync(string ancestor, string descendant, CancellationToken ct)
    {
        GitCli.ValidateRevision(ancestor, nameof(ancestor));
        GitCli.ValidateRevision(descendant, nameof(descendant));

        string[] arguments = ["merge-base", "--is-ancestor", "--end-of-options", ancestor, descendant];
        var result = await ExecuteAsync(arguments, ct).ConfigureAwait(false);
        if (!result.TimedOut && result.ExitCode == 1)
        {
            return false;
        }

        return result.Succeeded ? true : throw GitCli.Failure(arguments, result);
    }
}
