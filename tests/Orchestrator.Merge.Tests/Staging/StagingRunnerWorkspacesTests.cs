using Microsoft.Extensions.Options;
using Orchestrator.Merge.Staging;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests.Staging;

/// <summary>
/// How the merge service's verification copy reaches a Kubernetes Job (docs/decisions/0012-kubernetes-job-runner.md):
/// the snapshot is written into the staging repository on disk, and the Job fetches it over HTTP with the service's
/// read-only credential.
/// </summary>
public sealed class StagingRunnerWorkspacesTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Guid _featureId = Guid.NewGuid();
    private StagingServer _server = null!;
    private TestRepository _origin = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await StagingServer.StartAsync(_temp, _runner);
        _origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);
        await _server.PreparedAsync(_featureId, _origin.Path);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_snapshot_written_into_the_staging_repository_is_fetched_over_HTTP_with_the_read_only_credential()
    {
        var remote = new StagingRunnerWorkspaces(_server.Keys, Options.Create(_server.Options)).For(_featureId);
        var copy = await GitRepository.CloneAsync(_runner, _origin.Path, "main", _temp.Combine("verify"), _ct);
        File.WriteAllText(Path.Combine(copy.WorkingDirectory, "Merged.cs"), "merged, not committed\n");
        var reference = $"{StagingRunnerWorkspaces.RunRefPrefix}{Guid.NewGuid():N}";

        Assert.NotNull(remote);
        Assert.Equal(_server.Options.RepositoryUrl(_featureId), remote.Repository);
        Assert.Equal(_server.Options.RepositoryPath(_featureId), remote.PushRepository);
        var snapshot = await copy.SnapshotWorkingTreeAsync("verification snapshot", _ct);
        await copy.PushToRefAsync(remote.PushRepository!, snapshot, reference, _ct);

        // What the Job's init container does, with the variables its Secret would hold.
        var job = await GitRepository.InitAsync(_runner, _temp.Combine("job"), "main", _ct);
        var withSecret = new GitRepository(_runner, job.WorkingDirectory, remote.GitEnvironment);
        await withSecret.RunAsync(_ct, "fetch", "-q", "--depth=1", "--", remote.Repository, reference);
        Assert.Equal(snapshot, await job.ResolveAsync("FETCH_HEAD", _ct));
        Assert.Equal("merged, not committed", await job.RunAsync(_ct, "show", "FETCH_HEAD:Merged.cs"));
        // Without the credential the same fetch is refused.
        await Assert.ThrowsAsync<GitCommandException>(() => job.RunAsync(_ct, "fetch", "-q", "--", remote.Repository, reference));
    }

    [Fact]
    public void Without_staging_or_without_the_features_key_there_is_no_remote_workspace()
    {
        var off = new StagingRunnerWorkspaces(_server.Keys, Options.Create(new StagingOptions { Root = _server.Options.Root }));

        Assert.Null(off.For(_featureId));
        Assert.Null(new StagingRunnerWorkspaces(_server.Keys, Options.Create(_server.Options)).For(Guid.NewGuid()));
    }
}
