namespace Orchestrator.Workspaces.Tests;

/// <summary>
/// The snapshot a remote runner fetches (docs/decisions/0012-kubernetes-job-runner.md): the working tree as it is, on a
/// ref of the remote, with the workspace itself left exactly as it was.
/// </summary>
public sealed class WorkingTreeSnapshotTests : IDisposable
{
    private readonly GitSandbox _sandbox = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task A_snapshot_holds_uncommitted_and_untracked_files_but_not_ignored_ones_and_moves_nothing_in_the_workspace()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var work = await _sandbox.CloneAsync(origin, "work");
        GitSandbox.Write(work, ".gitignore", "bin/\n");
        GitSandbox.Write(work, "README.md", "edited\n");
        GitSandbox.Write(work, "src/New.cs", "class New {}\n");
        GitSandbox.Write(work, "bin/output.dll", "built\n");
        await work.RunAsync(_ct, "add", "README.md");
        var head = await work.HeadAsync(_ct);
        var statusBefore = await work.RunAsync(_ct, "status", "--porcelain");

        var snapshot = await work.SnapshotWorkingTreeAsync("snapshot", _ct);
        await work.PushToRefAsync(origin, snapshot, "refs/orchestrator/runs/task/1", _ct);

        var remote = new GitRepository(_sandbox.Runner, origin);
        Assert.Equal(snapshot, await remote.ResolveAsync("refs/orchestrator/runs/task/1", _ct));
        Assert.Equal(head, await remote.ResolveAsync($"{snapshot}^1", _ct));
        Assert.Equal("edited", await remote.RunAsync(_ct, "show", $"{snapshot}:README.md"));
        Assert.Equal("class New {}", await remote.RunAsync(_ct, "show", $"{snapshot}:src/New.cs"));
        Assert.False((await remote.TryRunAsync(_ct, "cat-file", "-e", $"{snapshot}:bin/output.dll")).Succeeded);
        // HEAD, the index (README.md staged, the rest not) and the branch are as they were.
        Assert.Equal(head, await work.HeadAsync(_ct));
        Assert.Equal(statusBefore, await work.RunAsync(_ct, "status", "--porcelain"));
        Assert.Empty(Directory.GetFiles(await work.GitDirectoryAsync(_ct), "orchestrator-snapshot-*"));

        await work.DeleteRemoteRefAsync(origin, "refs/orchestrator/runs/task/1", _ct);
        Assert.Null(await remote.TryResolveAsync("refs/orchestrator/runs/task/1", _ct));
    }

    [Fact]
    public async Task Refs_inside_refs_heads_or_outside_refs_are_refused_as_snapshot_targets()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var work = await _sandbox.CloneAsync(origin, "work");
        var snapshot = await work.SnapshotWorkingTreeAsync("snapshot", _ct);

        await Assert.ThrowsAsync<ArgumentException>(() => work.PushToRefAsync(origin, snapshot, "main", _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => work.PushToRefAsync(origin, snapshot, "refs/heads/main", _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => work.PushToRefAsync(origin, snapshot, "refs/orchestrator/../heads/main", _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => work.DeleteRemoteRefAsync(origin, "--all", _ct));
    }
}
