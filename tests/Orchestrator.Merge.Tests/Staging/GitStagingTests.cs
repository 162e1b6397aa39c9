using Orchestrator.Contracts;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests.Staging;

/// <summary>The staging repositories over git's smart HTTP protocol: what agents clone from and push to.</summary>
public sealed class GitStagingTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private StagingServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await StagingServer.StartAsync(_temp, _runner);

    [Fact]
    public async Task An_agent_clones_the_staged_base_branch_and_pushes_its_task_branch_over_http()
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);
        var featureId = Guid.NewGuid();
        var branch = $"orchestrator/tasks/{featureId:N}/implement";
        var published = await _server.PrepareAsync(featureId, origin.Path);
        var prepared = Assert.IsType<WorkRepositoryPrepared>(published);
        Assert.Equal($"{_server.BaseUrl}/git/{featureId:N}.git", prepared.WorkRepository);
        Assert.NotNull(prepared.StagingKey);

        var clone = await _server.CloneAsync(prepared.WorkRepository, _server.Credential(featureId, "implement"), _temp.Combine("agent"));
        await clone.CreateBranchAsync(branch, _ct);
        File.WriteAllText(Path.Combine(clone.WorkingDirectory, "code.txt"), "code\n");
        var commit = await clone.CommitAllAsync("Implement", _ct);
        await clone.PushAsync(branch, force: true, _ct);

        Assert.Equal(commit, await _server.Staged(featureId).ResolveAsync($"refs/heads/{branch}", _ct));
        Assert.Null(await origin.HeadOfAsync(branch));
    }

    [Fact]
    public async Task Preparing_twice_is_harmless_and_picks_up_the_base_branch_as_it_is_now()
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);
        var featureId = Guid.NewGuid();
        var first = Assert.IsType<WorkRepositoryPrepared>(await _server.PrepareAsync(featureId, origin.Path));
        var moved = await origin.CommitAsync("main", "main", new Dictionary<string, string> { ["README.md"] = "# App, moved on\n" }, "Move on");

        var second = Assert.IsType<WorkRepositoryPrepared>(await _server.PrepareAsync(featureId, origin.Path));

        Assert.Equal(moved, await _server.Staged(featureId).ResolveAsync("refs/heads/main", _ct));
        // Credentials the saga minted from the first answer stay good.
        Assert.Equal(first.StagingKey, second.StagingKey);
    }

    [Fact]
    public async Task Preparing_one_feature_several_times_at_once_prepares_it_every_time()
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);
        var featureId = Guid.NewGuid();

        // A PrepareWorkRepository delivered again is handled beside the first (the queue's consumers run in parallel).
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _server.PrepareAsync(featureId, origin.Path)));

        Assert.All(answers, answer => Assert.IsType<WorkRepositoryPrepared>(answer));
        Assert.Equal(await origin.HeadOfAsync("main"), await _server.Staged(featureId).ResolveAsync("refs/heads/main", _ct));
    }

    [Fact]
    public async Task An_unreadable_base_branch_is_reported_with_the_reason()
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);

        var failed = Assert.IsType<WorkRepositoryFailed>(await _server.PrepareAsync(Guid.NewGuid(), origin.Path, baseBranch: "nope"));

        Assert.Contains("'nope'", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_repositories_and_paths_leading_out_are_not_served()
    {
        using var http = new HttpClient();

        Assert.Equal(System.Net.HttpStatusCode.NotFound,
            (await http.GetAsync($"{_server.BaseUrl}/git/{Guid.NewGuid():N}.git/info/refs?service=git-upload-pack", _ct)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound,
            (await http.GetAsync($"{_server.BaseUrl}/git/..%2F..%2Fetc/info/refs?service=git-upload-pack", _ct)).StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }
}
