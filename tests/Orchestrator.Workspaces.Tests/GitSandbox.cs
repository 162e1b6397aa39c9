namespace Orchestrator.Workspaces.Tests;

/// <summary>A temporary folder with a bare "origin" holding one commit on main, as a forge would, and clones of it.</summary>
internal sealed class GitSandbox : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public ProcessRunner Runner { get; } = Runners.Create();

    public string Root => _temp.Path;

    public string Combine(params string[] parts) => _temp.Combine(parts);

    public void Dispose() => _temp.Dispose();

    public async Task<string> CreateOriginAsync()
    {
        var origin = _temp.Combine("origin.git");
        await GitRepository.InitBareAsync(Runner, origin, "main", _ct);

        var seed = await GitRepository.InitAsync(Runner, _temp.Combine("seed"), "main", _ct);
        await seed.ConfigureIdentityAsync("Seed", "seed@example.invalid", _ct);
        Write(seed, "README.md", "line one\nline two\n");
        Write(seed, "other.txt", "other\n");
        await seed.CommitAllAsync("Initial commit", _ct);
        await seed.AddRemoteAsync("origin", origin, _ct);
        await seed.PushAsync("main", force: false, _ct);
        return origin;
    }

    public async Task<GitRepository> CloneAsync(string origin, string name)
    {
        var repository = await GitRepository.CloneAsync(Runner, origin, "main", _temp.Combine(name), _ct);
        await repository.ConfigureIdentityAsync("Agent", "agent@example.invalid", _ct);
        return repository;
    }

    /// <summary>A clone on branch <c>right</c> whose <paramref name="path"/> conflicts with the same file on branch <c>left</c>.</summary>
    public async Task<GitRepository> CloneWithConflictingBranchesAsync(string path)
    {
        var clone = await CloneAsync(await CreateOriginAsync(), "work");
        await clone.CreateBranchAsync("left", _ct);
        Write(clone, path, "line one\nleft\n");
        Write(clone, "left-only.txt", "left\n");
        await clone.CommitAllAsync("Left", _ct);
        await clone.RunAsync(_ct, "checkout", "main");
        await clone.CreateBranchAsync("right", _ct);
        Write(clone, path, "line one\nright\n");
        await clone.CommitAllAsync("Right", _ct);
        return clone;
    }

    public static void Write(GitRepository repository, string relativePath, string content)
    {
        var full = Path.Combine(repository.WorkingDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }
}
