using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Agents.Tests.Support;
using Orchestrator.Merge.Staging;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Tests;

/// <summary>
/// The Coder against a staging repository served by the merge service's git endpoint over real HTTP: the attempt's
/// credential from the command gets it the clone, the dependency branch and the push of its own branch.
/// </summary>
public sealed class StagingRepositorySpecs : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Guid _featureId = Guid.NewGuid();
    private AgentHost _host = null!;
    private WebApplication _server = null!;
    private GitRepository _staged = null!;
    private string _url = null!;
    private string _key = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await AgentHost.StartAsync(_temp);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddGitStaging();
        builder.Services.Configure<StagingOptions>(o => o.Root = _temp.Combine("staging"));
        builder.Services.AddWorkspaces();
        _server = builder.Build();
        _server.MapGitStaging();
        await _server.StartAsync(_ct);

        // What the merge service prepares for a feature: the base branch in a bare repository, and the feature's key.
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# Greeter\n" }, _ct);
        _staged = await GitRepository.InitBareAsync(_runner, _temp.Combine("staging", $"{_featureId:N}.git"), initialBranch: null, _ct);
        await _staged.FetchBranchFromAsync(origin.Path, "main", _ct);
        await _staged.SetHeadAsync("main", _ct);
        _key = _server.Services.GetRequiredService<StagingKeys>().GetOrCreate(_featureId);
        _url = $"{_server.Urls.First()}/git/{_featureId:N}.git";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.DisposeAsync();
            await _server.DisposeAsync();
        }
        finally
        {
            _temp.Dispose();
        }
    }

    [Fact]
    public async Task Tasks_clone_fetch_their_dependency_and_push_their_own_branch_with_their_attempts_credential()
    {
        _host.WriteScript("greeter", """
            {
              "agents": {
                "implement": [
                  { "toolCalls": [ { "name": "workspace_write_file", "arguments": { "path": "Greeter.txt", "content": "Hello\n" } } ] },
                  { "content": "Added the greeter." }
                ],
                "document": [
                  { "toolCalls": [ { "name": "workspace_edit_file", "arguments": { "path": "Greeter.txt", "oldText": "Hello", "newText": "Hello, documented" } } ] },
                  { "content": "Documented the greeter." }
                ]
              }
            }
            """);
        var implement = Assignment("implement");
        await _host.SendAsync(implement);
        var implemented = await _host.CompletedAsync(implement);

        var document = Assignment("document", dependencies: [implement.Branch]);
        await _host.SendAsync(document);
        var documented = await _host.CompletedAsync(document);

        Assert.Equal(implemented.Commit, await _staged.ResolveAsync($"refs/heads/{implement.Branch}", _ct));
        Assert.Equal(documented.Commit, await _staged.ResolveAsync($"refs/heads/{document.Branch}", _ct));
        Assert.True(await _staged.IsAncestorAsync(implemented.Commit, documented.Commit, _ct));
    }

    [Fact]
    public async Task Without_its_credential_the_task_fails_with_the_git_error_and_pushes_nothing()
    {
        _host.WriteScript("greeter", """{ "agents": { "implement": [ { "content": "never asked" } ] } }""");
        var task = Assignment("implement") with { StagingCredential = null };

        await _host.SendAsync(task);
        var failed = await _host.FailedAsync(task);

        Assert.StartsWith("git failed:", failed.Reason, StringComparison.Ordinal);
        Assert.Null(await _staged.TryResolveAsync($"refs/heads/{task.Branch}", _ct));
    }

    private Contracts.TaskAssignment Assignment(string taskId, IReadOnlyList<string>? dependencies = null) =>
        Tasks.Assignment(_url, "greeter", taskId: taskId, featureId: _featureId, dependencies: dependencies) with
        {
            StagingCredential = StagingCredentials.ForTask(_key, _featureId, taskId, 1),
        };
}
