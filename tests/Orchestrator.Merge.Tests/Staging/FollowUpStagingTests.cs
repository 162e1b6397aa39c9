using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Merge.Consumers;
using Orchestrator.Merge.Staging;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests.Staging;

/// <summary>
/// A follow-up prepares a completed feature's staging repository again, with the pull request's branch in it; the
/// clean-up of the completion it follows must not delete that new repository.
/// </summary>
public sealed class FollowUpStagingTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private StagingServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await StagingServer.StartAsync(_temp, _runner);

    [Fact]
    public async Task The_pull_requests_branch_is_staged_beside_the_base_branch_and_survives_a_late_clean_up()
    {
        var featureId = Guid.NewGuid();
        var branch = $"orchestrator/{featureId:N}";
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);
        var pushed = await origin.CommitAsync("main", branch, new Dictionary<string, string> { ["code.txt"] = "code\n" }, "The pull request's work");
        var completedAt = DateTimeOffset.UtcNow;

        Assert.IsType<WorkRepositoryPrepared>(await _server.PrepareAsync(featureId, origin.Path, seedBranch: branch));
        await CleanUp().DeleteAsync(featureId, endedAt: completedAt, _ct);

        Assert.Equal(pushed, await _server.Staged(featureId).ResolveAsync($"refs/heads/{branch}", _ct));
    }

    [Fact]
    public async Task A_pull_request_branch_that_is_gone_is_reported_with_the_reason()
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);

        var failed = Assert.IsType<WorkRepositoryFailed>(await _server.PrepareAsync(Guid.NewGuid(), origin.Path, seedBranch: "orchestrator/merged-and-deleted"));

        Assert.Contains("the pull request's branch 'orchestrator/merged-and-deleted' could not be fetched", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_completions_clean_up_deletes_a_repository_prepared_before_it()
    {
        var featureId = Guid.NewGuid();
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);
        Assert.IsType<WorkRepositoryPrepared>(await _server.PrepareAsync(featureId, origin.Path));

        await CleanUp().DeleteAsync(featureId, endedAt: DateTimeOffset.UtcNow.AddSeconds(1), _ct);

        Assert.False(Directory.Exists(_server.Options.RepositoryPath(featureId)));
    }

    private StagingCleanupConsumer CleanUp() => new(Options.Create(_server.Options), new StagingRepositoryLocks());

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }
}
