namespace Orchestrator.Workspaces;

/// <summary>
/// A thin wrapper over the git CLI for one working copy. Commands run through <see cref="ProcessRunner"/>
/// (no shell) with repository hooks disabled. The optional environment is added to every git call: it is how
/// credentials reach git without being written into a URL, an argument or a config file.
/// </summary>
public sealed class GitRepository(ProcessRunner runner, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
{
    private readonly ProcessRunner runner = runner ?? throw new ArgumentNullException(nameof(runner));

    public string WorkingDirectory { get; } = Path.GetFullPath(
        !string.IsNullOrWhiteSpace(workingDirectory)
            ? workingDirectory
            : throw new ArgumentException("A working directory is required.", nameof(workingDirectory)));

    /// <summary>Clones <paramref name="branch"/> of <paramref name="source"/> (a URL or a local path) into <paramref name="destination"/>.</summary>
    public static Task<GitRepository> CloneAsync(
        ProcessRunner runner, string source, string branch, string destination, CancellationToken ct) =>
        CloneAsync(runner, source, branch, destination, environment: null, ct);

    /// <summary>
    /// Clones like <see cref="CloneAsync(ProcessRunner, string, string, string, CancellationToken)"/>, with
    /// <paramref name="environment"/> added to the clone and to every later git call of the returned repository.
    /// </summary>
    public static async Task<GitRepository> CloneAsync(
        ProcessRunner runner, string source, string branch, string destination,
        IReadOnlyDictionary<string, string>? environment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        GitCli.ValidateBranchName(branch, nameof(branch));
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);

        var target = Path.GetFullPath(destination);
        var parent = Path.GetDirectoryName(target) ?? throw new ArgumentException("Cannot clone into a file system root.", nameof(destination));
        Directory.CreateDirectory(parent);

        string[] arguments = ["clone", "--branch", branch, "--", GitCli.NormalizeSource(source), target];
        var result = await GitCli.RunAsync(runner, parent, arguments, ct, environment: environment).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw GitCli.Failure(arguments, result);
        }

        return new GitRepository(runner, target, environment);
    }

    /// <summary>Runs git with the given arguments; returns the trimmed output or throws <see cref="GitCommandException"/>.</summary>
    public async Task<string> RunAsync(CancellationToken ct, params string[] arguments)
    {
        var result = await RunCheckedAsync(arguments, ct).ConfigureAwait(false);
        return result.Output.Trim();
    }

    /// <summary>Runs git with the given arguments; a non-zero exit code is reported, not thrown.</summary>
    public async Task<ProcessResult> TryRunAsync(CancellationToken ct, params string[] arguments)
    {
        var result = await ExecuteAsync(arguments, ct).ConfigureAwait(false);
        return result with { Output = result.Output.Trim() };
    }

    public async Task ConfigureIdentityAsync(string name, string email, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        await RunCheckedAsync(["config", "--local", "user.name", name], ct).ConfigureAwait(false);
        await RunCheckedAsync(["config", "--local", "user.email", email], ct).ConfigureAwait(false);
    }

    /// <summary>Creates or resets <paramref name="branch"/> at the current HEAD and checks it out.</summary>
    public async Task CreateBranchAsync(string branch, CancellationToken ct)
    {
        GitCli.ValidateBranchName(branch, nameof(branch));
        await RunCheckedAsync(["checkout", "-B", branch], ct).ConfigureAwait(false);
    }

    /// <summary>Updates <c>origin/&lt;branch&gt;</c> from the remote, even when it was rewritten.</summary>
    public async Task FetchAsync(string remoteBranch, CancellationToken ct)
    {
        GitCli.ValidateBranchName(remoteBranch, nameof(remoteBranch));
        await RunCheckedAsync(
            ["fetch", "origin", $"+refs/heads/{remoteBranch}:refs/remotes/origin/{remoteBranch}"], ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Merges <paramref name="revision"/> with a merge commit. On conflict the merge is aborted and the
    /// conflicting files are returned, so the working copy is never left half-merged.
    /// </summary>
    public async Task<MergeOutcome> MergeAsync(string revision, string message, CancellationToken ct)
    {
        GitCli.ValidateRevision(revision, nameof(revision));
        ArgumentException.ThrowIfNullOrWhiteSpace(message);

        string[] arguments = ["merge", "--no-ff", "--no-edit", "-m", message, revision];
        try
        {
            var result = await ExecuteAsync(arguments, ct).ConfigureAwait(false);
            if (result.Succeeded)
            {
                return new MergeOutcome(Merged: true, []);
            }

            var conflicts = result.TimedOut ? [] : await ConflictingFilesAsync(ct).ConfigureAwait(false);
            await AbortMergeIfInProgressAsync(ct).ConfigureAwait(false);
            if (conflicts.Count > 0)
            {
                return new MergeOutcome(Merged: false, conflicts);
            }

            throw GitCli.Failure(arguments, result);
        }
        catch (OperationCanceledException)
        {
            // A killed merge can leave MERGE_HEAD behind; the next user of this working copy must not inherit it.
            try
            {
                await AbortMergeIfInProgressAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (GitCommandException)
            {
                // Best effort: the cancellation is what the caller needs to see.
            }

            throw;
        }
    }

    /// <summary>Uncommitted changes, untracked files included, as paths relative to the working directory.</summary>
    public async Task<IReadOnlyList<string>> ChangedFilesAsync(CancellationToken ct)
    {
        var result = await RunCheckedAsync(["status", "--porcelain=v1", "-z", "--untracked-files=all"], ct).ConfigureAwait(false);
        return ParsePorcelainZ(result.Output);
    }

    /// <summary>Stages everything and commits it; returns the new HEAD, or null when there was nothing to commit.</summary>
    public async Task<string?> CommitAllAsync(string message, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);

        await RunCheckedAsync(["add", "-A"], ct).ConfigureAwait(false);

        string[] check = ["diff", "--cached", "--quiet"];
        var staged = await ExecuteAsync(check, ct).ConfigureAwait(false);
        if (staged.Succeeded)
        {
            return null;
        }

        if (staged.TimedOut || staged.ExitCode != 1)
        {
            throw GitCli.Failure(check, staged);
        }

        await RunCheckedAsync(["commit", "--no-verify", "-m", message], ct).ConfigureAwait(false);
        return await HeadAsync(ct).ConfigureAwait(false);
    }

    public Task<string> HeadAsync(CancellationToken ct) => RunAsync(ct, "rev-parse", "--verify", "HEAD");

    public async Task PushAsync(string branch, bool force, CancellationToken ct)
    {
        GitCli.ValidateBranchName(branch, nameof(branch));
        var refspec = $"refs/heads/{branch}:refs/heads/{branch}";
        string[] arguments = force ? ["push", "--force", "origin", refspec] : ["push", "origin", refspec];
        await RunCheckedAsync(arguments, ct).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="source"/> (a URL, a local path or a remote name) has <paramref name="branch"/>.</summary>
    public async Task<bool> RemoteBranchExistsAsync(string source, string branch, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
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

    internal static IReadOnlyList<string> ParsePorcelainZ(string output)
    {
        var files = new List<string>();
        var entries = output.Split('\0');
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];

            // "XY path": two status letters, a space, then the path verbatim.
            if (entry.Length < 4 || entry[2] != ' ')
            {
                continue;
            }

            files.Add(entry[3..]);

            // Renames and copies carry the original path as the next NUL-separated field; it changed too.
            if (entry[0] is 'R' or 'C' && i + 1 < entries.Length)
            {
                i++;
                if (entries[i].Length > 0)
                {
                    files.Add(entries[i]);
                }
            }
        }

        return files.Distinct(StringComparer.Ordinal).ToList();
    }

    private async Task<IReadOnlyList<string>> ConflictingFilesAsync(CancellationToken ct)
    {
        var result = await ExecuteAsync(["diff", "--name-only", "--diff-filter=U", "-z"], ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return [];
        }

        return result.Output
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(name => name.Trim('\n', '\r'))
            .Where(name => name.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private async Task AbortMergeIfInProgressAsync(CancellationToken ct)
    {
        var merging = await ExecuteAsync(["rev-parse", "-q", "--verify", "MERGE_HEAD"], ct).ConfigureAwait(false);
        if (merging.Succeeded)
        {
            await RunCheckedAsync(["merge", "--abort"], ct).ConfigureAwait(false);
        }
    }

    private async Task<ProcessResult> RunCheckedAsync(string[] arguments, CancellationToken ct)
    {
        var result = await ExecuteAsync(arguments, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw GitCli.Failure(arguments, result);
        }

        return result;
    }

    private Task<ProcessResult> ExecuteAsync(string[] arguments, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return GitCli.RunAsync(runner, WorkingDirectory, arguments, ct, environment: environment);
    }
}
