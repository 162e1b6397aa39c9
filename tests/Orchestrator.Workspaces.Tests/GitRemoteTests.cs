namespace Orchestrator.Workspaces.Tests;

public sealed class GitRemoteTests : IDisposable
{
    private readonly GitSandbox _sandbox = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Probe_reports_a_reachable_repository_and_its_branches()
    {
        var origin = await _sandbox.CreateOriginAsync();

        var onPath = await GitRemote.ProbeAsync(_sandbox.Runner, origin, "main", _ct);
        var onUrl = await GitRemote.ProbeAsync(_sandbox.Runner, new Uri(origin).AbsoluteUri, "main", _ct);
        var missingBranch = await GitRemote.ProbeAsync(_sandbox.Runner, origin, "nope", _ct);

        Assert.Equal(new RemoteProbe(true, true, null), onPath);
        Assert.Equal(new RemoteProbe(true, true, null), onUrl);
        Assert.True(missingBranch.RepositoryReachable);
        Assert.False(missingBranch.BranchExists);
        Assert.Contains("nope", missingBranch.Error);
    }

    [Fact]
    public async Task Probe_reports_an_unknown_repository_with_a_reason()
    {
        var probe = await GitRemote.ProbeAsync(_sandbox.Runner, _sandbox.Combine("not-there.git"), "main", _ct);
        var notGit = await GitRemote.ProbeAsync(_sandbox.Runner, _sandbox.Root, "main", _ct);

        Assert.False(probe.RepositoryReachable);
        Assert.False(probe.BranchExists);
        Assert.False(string.IsNullOrWhiteSpace(probe.Error));
        Assert.False(notGit.RepositoryReachable);
        Assert.Contains("not", notGit.Error);
    }

    [Fact]
    public async Task Pushes_a_commit_to_a_branch_of_another_repository_replacing_it_without_checking_anything_out()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var work = await _sandbox.CloneAsync(origin, "work");
        var first = await work.HeadAsync(_ct);
        GitSandbox.Write(work, "b.txt", "b\n");
        var second = await work.CommitAllAsync("second", _ct);

        await work.PushCommitToBranchAsync(origin, second!, "orchestrator/tasks/f/review-1", _ct);
        await work.PushCommitToBranchAsync(origin, first, "orchestrator/tasks/f/review-1", _ct);

        var remote = new GitRepository(_sandbox.Runner, origin);
        Assert.Equal(first, await remote.ResolveAsync("refs/heads/orchestrator/tasks/f/review-1", _ct));
        Assert.Equal(second, await work.HeadAsync(_ct));
        await Assert.ThrowsAsync<ArgumentException>(() => work.PushCommitToBranchAsync(origin, first, "--force", _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => work.PushCommitToBranchAsync("--upload-pack=x", first, "b", _ct));
    }

    [Fact]
    public async Task Deletes_branches_from_a_repository_without_a_clone()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var clone = await _sandbox.CloneAsync(origin, "work");
        foreach (var branch in new[] { "tasks/one", "tasks/two" })
        {
            await clone.CreateBranchAsync(branch, _ct);
            await clone.PushAsync(branch, force: false, _ct);
        }

        await GitRemote.DeleteBranchesAsync(_sandbox.Runner, origin, ["tasks/one", "tasks/two"], environment: null, _ct);

        Assert.False(await clone.RemoteBranchExistsAsync(origin, "tasks/one", _ct));
        Assert.False(await clone.RemoteBranchExistsAsync(origin, "tasks/two", _ct));
        Assert.True(await clone.RemoteBranchExistsAsync(origin, "main", _ct));
    }

    [Fact]
    public async Task Deleting_branches_of_a_repository_that_is_not_there_throws_with_gits_output()
    {
        var error = await Assert.ThrowsAsync<GitCommandException>(
            () => GitRemote.DeleteBranchesAsync(_sandbox.Runner, _sandbox.Combine("missing.git"), ["tasks/one"], environment: null, _ct));

        Assert.Contains("git push --delete", error.Message);
        Assert.Contains("missing.git", error.Output);
    }
}
