using Orchestrator.Workspaces;

namespace Orchestrator.Tests.Support;

/// <summary>
/// A bare "origin" repository, as a forge would hold it, plus helpers to seed branches and read what agents pushed.
/// Identities are set per repository; the machine's git configuration is not relied on.
/// </summary>
internal sealed class TestRepository
{
    private readonly TempDirectory _temp;
    private readonly ProcessRunner _runner;
    private readonly CancellationToken _ct;
    private int _seeds;

    private TestRepository(TempDirectory temp, ProcessRunner runner, string path, CancellationToken ct)
    {
        _temp = temp;
        _runner = runner;
        _ct = ct;
        Path = path;
        Bare = new GitRepository(runner, path);
    }

    public string Path { get; }

    public GitRepository Bare { get; }

    /// <summary>Creates <c>origin.git</c> whose <c>main</c> holds <paramref name="files"/> in one commit.</summary>
    public static async Task<TestRepository> CreateAsync(
        TempDirectory temp, ProcessRunner runner, IReadOnlyDictionary<string, string> files, CancellationToken ct)
    {
        var path = temp.CreateDirectory("origin.git");
        await GitRepository.InitBareAsync(runner, path, "main", ct);
        var repository = new TestRepository(temp, runner, path, ct);
        await repository.CommitAsync("main", "main", files, "Initial commit");
        return repository;
    }

    /// <summary>Wraps an existing bare repository (e.g. the sample made by samples/create-sample-repo.sh).</summary>
    public static TestRepository Open(TempDirectory temp, ProcessRunner runner, string path, CancellationToken ct) =>
        new(temp, runner, path, ct);

    /// <summary>Commits <paramref name="files"/> on top of <paramref name="from"/> and pushes the result as <paramref name="branch"/>.</summary>
    public async Task<string> CommitAsync(string from, string branch, IReadOnlyDictionary<string, string> files, string message)
    {
        var work = _temp.Combine($"seed-{Interlocked.Increment(ref _seeds)}");
        GitRepository git;
        if (await Bare.TryResolveAsync($"refs/heads/{from}", _ct) is not null)
        {
            git = await GitRepository.CloneAsync(_runner, Path, from, work, _ct);
        }
        else
        {
            git = await GitRepository.InitAsync(_runner, work, "main", _ct);
            await git.AddRemoteAsync("origin", Path, _ct);
        }

        await git.ConfigureIdentityAsync("Test Seed", "seed@example.invalid", _ct);
        await git.CreateBranchAsync(branch, _ct);
        foreach (var (relative, content) in files)
        {
            var full = System.IO.Path.Combine(work, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        var sha = await git.CommitAllAsync(message, _ct) ?? throw new InvalidOperationException("The seed commit changed nothing.");
        await git.PushAsync(branch, force: true, _ct);
        return sha;
    }

    /// <summary>The commit <paramref name="branch"/> points at in origin, or null when origin has no such branch.</summary>
    public async Task<string?> HeadOfAsync(string branch)
    {
        var heads = await Bare.RunAsync(_ct, "ls-remote", "--heads", Path, $"refs/heads/{branch}");
        var line = heads.Split('\n', StringSplitOptions.RemoveEmptyEntries).SingleOrDefault();
        return line?.Split('\t')[0];
    }

    public Task<string> ShowAsync(string revision, string path) => Bare.RunAsync(_ct, "show", $"{revision}:{path}");

    public Task<string> MessageOfAsync(string revision) => Bare.RunAsync(_ct, "log", "-1", "--format=%B", revision);

    public async Task<int> CountCommitsAsync(string range) => int.Parse(await Bare.RunAsync(_ct, "rev-list", "--count", range));

    public Task<bool> IsAncestorAsync(string ancestor, string descendant) => Bare.IsAncestorAsync(ancestor, descendant, _ct);

    public async Task<IReadOnlyList<string>> FilesChangedAsync(string from, string to) =>
        (await Bare.RunAsync(_ct, "diff", "--name-only", from, to)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
