namespace Orchestrator.Workspaces;

/// <summary>
/// One git repository (a working copy or a bare one) behind typed operations. Commands run through
/// <see cref="ProcessRunner"/> (no shell) with repository hooks disabled; every operation checks git's exit code and
/// throws <see cref="GitCommandException"/> unless failure is an answer (a conflict, "not an ancestor"). The optional
/// environment is added to every git call: it is how credentials reach git without being written into a URL, an
/// argument or a config file.
/// </summary>
public sealed partial class GitRepository(ProcessRunner runner, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
{
    private readonly ProcessRunner _runner = runner ?? throw new ArgumentNullException(nameof(runner));

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
        GitCli.ValidateSource(source, nameof(source));
        GitCli.ValidateBranchName(branch, nameof(branch));
        var (target, parent) = PrepareDestination(destination);

        await new GitRepository(runner, parent, environment)
            .RunCheckedAsync(["clone", "--branch", branch, "--", GitCli.NormalizeSource(source), target], ct).ConfigureAwait(false);
        return new GitRepository(runner, target, environment);
    }

    /// <summary>Creates an empty repository with a working tree at <paramref name="path"/>, on <paramref name="initialBranch"/>.</summary>
    public static Task<GitRepository> InitAsync(ProcessRunner runner, string path, string initialBranch, CancellationToken ct) =>
        InitializeAsync(runner, path, initialBranch, bare: false, ct);

    /// <summary>
    /// Creates an empty bare repository (a remote to push to) at <paramref name="path"/>; HEAD names
    /// <paramref name="initialBranch"/>, or git's default branch when it is null. Running it again on an existing
    /// repository changes nothing.
    /// </summary>
    public static Task<GitRepository> InitBareAsync(ProcessRunner runner, string path, string? initialBranch, CancellationToken ct) =>
        InitializeAsync(runner, path, initialBranch, bare: true, ct);

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

    /// <summary>Creates or resets <paramref name="branch"/> at <paramref name="revision"/> and checks it out, working tree included.</summary>
    public async Task CreateBranchAtAsync(string branch, string revision, CancellationToken ct)
    {
        GitCli.ValidateBranchName(branch, nameof(branch));
        var commit = await ResolveAsync(revision, ct).ConfigureAwait(false);
        await RunCheckedAsync(["checkout", "--quiet", "-B", branch, commit], ct).ConfigureAwait(false);
    }

    /// <summary>Points HEAD at <paramref name="branch"/> without touching any working tree: a bare repository's default branch.</summary>
    public async Task SetHeadAsync(string branch, CancellationToken ct)
    {
        GitCli.ValidateBranchName(branch, nameof(branch));
        await RunCheckedAsync(["symbolic-ref", "HEAD", $"refs/heads/{branch}"], ct).ConfigureAwait(false);
    }

    public Task<string> HeadAsync(CancellationToken ct) => ResolveAsync("HEAD", ct);

    /// <summary>The commit <paramref name="revision"/> names; throws when it names none.</summary>
    public async Task<string> ResolveAsync(string revision, CancellationToken ct) =>
        await TryResolveAsync(revision, ct).ConfigureAwait(false)
        ?? throw new GitCommandException($"'{revision}' does not name a commit in {WorkingDirectory}.", string.Empty);

    /// <summary>The commit <paramref name="revision"/> names, or null when it names none.</summary>
    public async Task<string?> TryResolveAsync(string revision, CancellationToken ct)
    {
        GitCli.ValidateRevision(revision, nameof(revision));
        string[] arguments = ["rev-parse", "-q", "--verify", "--end-of-options", $"{revision}^{{commit}}"];
        var result = await ExecuteAsync(arguments, ct).ConfigureAwait(false);

        // -q --verify: exit code 1 and no output is git's "no such commit".
        if (!result.TimedOut && result.ExitCode == 1 && result.Output.Trim().Length == 0)
        {
            return null;
        }

        return result.Succeeded ? result.Output.Trim() : throw GitCli.Failure(arguments, result);
    }

    /// <summary>The absolute path of the git directory: <c>.git</c> of a working copy, the repository itself when bare.</summary>
    public async Task<string> GitDirectoryAsync(CancellationToken ct)
    {
        var result = await RunCheckedAsync(["rev-parse", "--absolute-git-dir"], ct).ConfigureAwait(false);
        return result.Output.Trim();
    }

    /// <summary>Runs git with the given arguments; returns the trimmed output or throws <see cref="GitCommandException"/>.</summary>
    internal async Task<string> RunAsync(CancellationToken ct, params string[] arguments)
    {
        var result = await RunCheckedAsync(arguments, ct).ConfigureAwait(false);
        return result.Output.Trim();
    }

    /// <summary>Runs git with the given arguments; a non-zero exit code is reported, not thrown.</summary>
    internal async Task<ProcessResult> TryRunAsync(CancellationToken ct, params string[] arguments)
    {
        var result = await ExecuteAsync(arguments, ct).ConfigureAwait(false);
        return result with { Output = result.Output.Trim() };
    }

    private static async Task<GitRepository> InitializeAsync(
        ProcessRunner runner, string path, string? initialBranch, bool bare, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runner);
        if (initialBranch is not null)
        {
            GitCli.ValidateBranchName(initialBranch, nameof(initialBranch));
        }

        var (target, parent) = PrepareDestination(path);
        string[] kind = bare ? ["--bare"] : [];
        string[] branch = initialBranch is null ? [] : [$"--initial-branch={initialBranch}"];
        await new GitRepository(runner, parent)
            .RunCheckedAsync(["init", "--quiet", .. kind, .. branch, "--", target], ct).ConfigureAwait(false);
        return new GitRepository(runner, target);
    }

    // git creates the target itself; it runs in the parent, which must exist, so the target is never its own cwd.
    private static (string Target, string Parent) PrepareDestination(string destination)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var target = Path.GetFullPath(destination);
        var parent = Path.GetDirectoryName(target) ?? throw new ArgumentException("Cannot use a file system root.", nameof(destination));
        Directory.CreateDirectory(parent);
        return (target, parent);
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
        return GitCli.RunAsync(_runner, WorkingDirectory, arguments, ct, environment: environment);
    }
}
