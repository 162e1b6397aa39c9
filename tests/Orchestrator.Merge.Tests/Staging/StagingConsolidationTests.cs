using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Staging;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests.Staging;

/// <summary>Consolidation reads the task branches from the staging repository with the merge service's own credential.</summary>
public sealed class StagingConsolidationTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Guid _featureId = Guid.NewGuid();
    private StagingServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await StagingServer.StartAsync(_temp, _runner);

    [Fact]
    public async Task The_reported_commit_pushed_by_an_agent_is_fetched_with_the_merge_services_own_credential_and_merged()
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);
        var url = await _server.PreparedAsync(_featureId, origin.Path);
        var branch = $"orchestrator/tasks/{_featureId:N}/implement";
        var clone = await _server.CloneAsync(url, _server.Credential(_featureId, "implement"), _temp.Combine("agent"));
        await clone.CreateBranchAsync(branch, _ct);
        File.WriteAllText(Path.Combine(clone.WorkingDirectory, "code.txt"), "code\n");
        var commit = (await clone.CommitAllAsync("Implement", _ct))!;
        await clone.PushAsync(branch, force: true, _ct);
        var feature = Features.Consolidate(_featureId, origin.Path, [Features.Task("implement", AgentRole.Coder, branch, commit)]) with
        {
            WorkRepository = url,
        };

        var withoutCredential = Consolidator(new ForgeAccess([]));
        await Assert.ThrowsAsync<GitCommandException>(() => withoutCredential.ConsolidateAsync(feature, _ct));
        var outcome = await Consolidator(new ForgeAccess([new StagingReaderCredentials(_server.Keys, Microsoft.Extensions.Options.Options.Create(_server.Options))]))
            .ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

        Assert.IsType<ConsolidationOutcome.Opened>(outcome);
        Assert.True(await origin.IsAncestorAsync(commit, feature.FeatureBranch));
        Assert.Null(await origin.HeadOfAsync(branch));
    }

    private FeatureConsolidator Consolidator(ForgeAccess forge) =>
        Consolidators.Create(_runner, new LocalForge(_runner, new FakeTimeProvider()), forge, _temp.CreateDirectory("merge-work"));

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }
}
