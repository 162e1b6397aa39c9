namespace Orchestrator.Workspaces.Tests;

public sealed class GitRemoteTests : IDisposable
{
    private readonly GitSandbox sandbox = new();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    public void Dispose() => sandbox.Dispose();

    [Fact]
    public async Task Probe_reports_a_reachable_repository_and_its_branches()
    {
        var origin = await sandbox.CreateOriginAsync();

        var onPath = await GitRemote.ProbeAsync(sandbox.Runner, origin, "main", ct);
        var onUrl = await GitRemote.ProbeAsync(sandbox.Runner, new Uri(origin).AbsoluteUri, "main", ct);
        var missingBranch = await GitRemote.ProbeAsync(sandbox.Runner, origin, "nope", ct);

        Assert.Equal(new RemoteProbe(true, true, null), onPath);
        Assert.Equal(new RemoteProbe(true, true, null), onUrl);
        Assert.True(missingBranch.RepositoryReachable);
        Assert.False(missingBranch.BranchExists);
        Assert.Contains("nope", missingBranch.Error);
    }

    [Fact]
    public async Task Probe_reports_an_unknown_repository_with_a_reason()
    {
        var probe = await GitRemote.ProbeAsync(sandbox.Runner, sandbox.Combine("not-there.git"), "main", ct);
        var notGit = await GitRemote.ProbeAsync(sandbox.Runner, sandbox.Root, "main", ct);

        Assert.False(probe.RepositoryReachable);
        Assert.False(probe.BranchExists);
        Assert.False(string.IsNullOrWhiteSpace(probe.Error));
        Assert.False(notGit.RepositoryReachable);
        Assert.Contains("not", notGit.Error);
    }

    [Fact]
    public async Task Deletes_branches_from_a_repository_without_a_clone()
    {
        var origin = await sandbox.CreateOriginAsync();
        var clone = await sandbox.CloneAsync(origin, "work");
        foreach (var branch in new[] { "tasks/one", "tasks/two" })
        {
            await clone.CreateBranchAsync(branch, ct);
            await clone.PushAsync(branch, force: false, ct);
        }

        await GitRemote.DeleteBranchesAsync(sandbox.Runner, origin, ["tasks/one", "tasks/two"], environment: null, ct);

        Assert.False(await clone.RemoteBranchExistsAsync(origin, "tasks/one", ct));
        Assert.False(await clone.RemoteBranchExistsAsync(origin, "tasks/two", ct));
        Assert.True(await clone.RemoteBranchExistsAsync(origin, "main", ct));
    }

    [Fact]
    public async Task Deleting_branches_of_a_repository_that_is_not_there_throws_with_gits_output()
    {
        var error = await Assert.ThrowsAsync<GitCommandException>(
            () => GitRemote.DeleteBranchesAsync(sandbox.Runner, sandbox.Combine("missing.git"), ["tasks/one"], environment: null, ct));

        Assert.Contains("git push --delete", error.Message);
        Assert.Contains("missing.git", error.Output);
    }
}
