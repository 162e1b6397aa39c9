using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Merge.Consumers;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Staging;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests.Staging;

/// <summary>The staging repositories over git's smart HTTP protocol: what agents clone from and push to.</summary>
public sealed class GitStagingTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private WebApplication? _server;
    private string _baseUrl = string.Empty;

    private StagingOptions Options => new() { BaseUrl = _baseUrl, Root = _temp.Combine("staging") };

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<StagingOptions>(o => o.Root = _temp.Combine("staging"));
        builder.Services.AddWorkspaces();
        _server = builder.Build();
        _server.MapGitStaging();
        await _server.StartAsync(_ct);
        _baseUrl = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    [Fact]
    public async Task An_agent_clones_the_staged_base_branch_and_pushes_its_task_branch_over_http()
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);
        var featureId = Guid.NewGuid();
        var published = await PrepareAsync(featureId, origin.Path);
        var prepared = Assert.IsType<WorkRepositoryPrepared>(published);
        Assert.Equal($"{_baseUrl}/git/{featureId:N}.git", prepared.WorkRepository);

        var clone = await GitRepository.CloneAsync(_runner, prepared.WorkRepository, "main", _temp.Combine("agent"), _ct);
        await clone.ConfigureIdentityAsync("Agent", "agent@example.invalid", _ct);
        await clone.CreateBranchAsync("orchestrator/tasks/x/implement", _ct);
        File.WriteAllText(Path.Combine(clone.WorkingDirectory, "code.txt"), "code\n");
        var commit = await clone.CommitAllAsync("Implement", _ct);
        await clone.PushAsync("orchestrator/tasks/x/implement", force: true, _ct);

        var staged = new GitRepository(_runner, Options.RepositoryPath(featureId));
        Assert.Equal(commit, await staged.ResolveAsync("refs/heads/orchestrator/tasks/x/implement", _ct));
        Assert.Null(await origin.HeadOfAsync("orchestrator/tasks/x/implement"));
    }

    [Fact]
    public async Task Preparing_twice_is_harmless_and_picks_up_the_base_branch_as_it_is_now()
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);
        var featureId = Guid.NewGuid();
        await PrepareAsync(featureId, origin.Path);
        var moved = await origin.CommitAsync("main", "main", new Dictionary<string, string> { ["README.md"] = "# App, moved on\n" }, "Move on");

        Assert.IsType<WorkRepositoryPrepared>(await PrepareAsync(featureId, origin.Path));

        Assert.Equal(moved, await new GitRepository(_runner, Options.RepositoryPath(featureId)).ResolveAsync("refs/heads/main", _ct));
    }

    [Fact]
    public async Task An_unreadable_base_branch_is_reported_with_the_reason()
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);

        var failed = Assert.IsType<WorkRepositoryFailed>(await PrepareAsync(Guid.NewGuid(), origin.Path, baseBranch: "nope"));

        Assert.Contains("'nope'", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_repositories_and_paths_leading_out_are_not_served()
    {
        using var http = new HttpClient();

        Assert.Equal(System.Net.HttpStatusCode.NotFound,
            (await http.GetAsync($"{_baseUrl}/git/{Guid.NewGuid():N}.git/info/refs?service=git-upload-pack", _ct)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound,
            (await http.GetAsync($"{_baseUrl}/git/..%2F..%2Fetc/info/refs?service=git-upload-pack", _ct)).StatusCode);
    }

    private async Task<object> PrepareAsync(Guid featureId, string repository, string baseBranch = "main")
    {
        var context = new RecordingPublisher();
        var preparer = new PrepareWorkRepositoryConsumer(_runner, new ForgeAccess([]), Microsoft.Extensions.Options.Options.Create(Options),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<PrepareWorkRepositoryConsumer>.Instance);
        await preparer.PrepareAsync(new PrepareWorkRepository(featureId, repository, baseBranch), context.PublishAsync, _ct);
        return Assert.Single(context.Published);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }

        _temp.Dispose();
    }

    private sealed class RecordingPublisher
    {
        public List<object> Published { get; } = [];

        public Task PublishAsync(object message)
        {
            Published.Add(message);
            return Task.CompletedTask;
        }
    }
}
