using Orchestrator.Workspaces;

namespace Orchestrator.Tests.Support;

/// <summary>
/// A bare "origin" repository, as a forge would hold it, plus helpers to seed branches and read what agents pushed.
/// Identities are set per repository; the machine's git configuration is not relied on.
/// </summary>
internal sealed class TestRepository
{
    private readonly TempDirectory temp;
    private readonly ProcessRunner runner;
    private readonly CancellationToken ct;
    private int seeds;

    private TestRepository(TempDirectory temp, ProcessRunner runner, string path, CancellationToken ct)
    {
        this.temp = temp;
        this.runner = runner;
        this.ct = ct;
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
        var work = temp.Combine($"seed-{Interlocked.Increment(ref seeds)}");
        GitRepository git;
        if (await Bare.TryResolveAsync($"refs/heads/{from}", ct) is not null)
        {
            git = await GitRepository.CloneAsync(runner, Path, from, work, ct);
        }
        else
        {
            git = await GitRepository.InitAsync(runner, work, "main", ct);
            await git.AddRemoteAsync("origin", Path, ct);
        }

        await git.ConfigureIdentityAsync("Test Seed", "seed@example.invalid", ct);
        await git.CreateBranchAsync(branch, ct);
        foreach (var (relative, content) in files)
        {
            var full = System.IO.Path.Combine(work, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        var sha = await git.CommitAllAsync(message, ct) ?? throw new InvalidOperationException("The seed commit changed nothing.");
        await git.PushAsync(branch, force: true, ct);
        return sha;
    }

    /// <summary>The commit <paramref name="branch"/> points at in origin, or null when origin has no such branch.</summary>
    public async Task<string?> HeadOfAsync(string branch)
    {
        var heads = await Bare.RunAsync(ct, "ls-remote", "--heads", Path, $"refs/heads/{branch}");
        var line = heads.Split('\n', StringSplitOptions.RemoveEmptyEntries).SingleOrDefault();
        return line?.Split('\t')[0];
    }

    public Task<string> ShowAsync(string revision, string path) => Bare.RunAsync(ct, "show", $"{revision}:{path}");

    public Task<string> MessageOfAsync(string revision) => Bare.RunAsync(ct, "log", "-1", "--format=%B", revision);

    public async Task<int> CountCommitsAsync(string range) => int.Parse(await Bare.RunAsync(ct, "rev-list", "--count", range));

    public Task<bool> IsAncestorAsync(string ancestor, string descendant) => Bare.IsAncestorAsync(ancestor, descendant, ct);

    public async Task<IReadOnlyList<string>> FilesChangedAsync(string from, string to) =>
        (await Bare.RunAsync(ct, "diff", "--name-only", from, to)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
