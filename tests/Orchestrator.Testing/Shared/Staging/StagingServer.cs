using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.Merge.Consumers;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Staging;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Tests.Support;

/// <summary>The merge service's git endpoint on 127.0.0.1 (a free port) over real HTTP, with its staging root in a temp folder.</summary>
internal sealed class StagingServer : IAsyncDisposable
{
    private readonly WebApplication _server;
    private readonly ProcessRunner _runner;

    private StagingServer(WebApplication server, StagingOptions options, ProcessRunner runner)
    {
        _server = server;
        _runner = runner;
        Options = options;
    }

    /// <summary>The server's options, with <see cref="StagingOptions.BaseUrl"/> set to where it listens.</summary>
    public StagingOptions Options { get; }

    public string BaseUrl => Options.BaseUrl!;

    public StagingKeys Keys => _server.Services.GetRequiredService<StagingKeys>();

    public static async Task<StagingServer> StartAsync(TempDirectory temp, ProcessRunner runner, Action<StagingOptions>? configure = null)
    {
        var options = new StagingOptions { Root = temp.Combine("staging") };
        configure?.Invoke(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(new TestOutputLoggerProvider(TestContext.Current.TestOutputHelper));
        builder.Services.AddGitStaging();
        builder.Services.Configure<StagingOptions>(o =>
        {
            o.Root = options.Root;
            o.MaxRequestBodyBytes = options.MaxRequestBodyBytes;
            o.MaxConcurrentRequests = options.MaxConcurrentRequests;
            o.MaxQueuedRequests = options.MaxQueuedRequests;
        });
        builder.Services.AddWorkspaces();
        var server = builder.Build();
        server.MapGitStaging();
        await server.StartAsync(TestContext.Current.CancellationToken);
        options.BaseUrl = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StagingServer(server, options, runner);
    }

    /// <summary>What <see cref="PrepareWorkRepositoryConsumer"/> publishes for the feature.</summary>
    public async Task<object> PrepareAsync(Guid featureId, string repository, string baseBranch = "main", string? seedBranch = null)
    {
        var published = new List<object>();
        var preparer = new PrepareWorkRepositoryConsumer(_runner, new ForgeAccess([]), new StagingKeys(Microsoft.Extensions.Options.Options.Create(Options)),
            _server.Services.GetRequiredService<StagingRepositoryLocks>(),
            Microsoft.Extensions.Options.Options.Create(Options), NullLogger<PrepareWorkRepositoryConsumer>.Instance);
        await preparer.PrepareAsync(new PrepareWorkRepository(featureId, repository, baseBranch) { SeedBranch = seedBranch }, message =>
        {
            published.Add(message);
            return Task.CompletedTask;
        }, TestContext.Current.CancellationToken);
        return Assert.Single(published);
    }

    /// <summary>Prepares the feature's staging repository and returns its URL.</summary>
    public async Task<string> PreparedAsync(Guid featureId, string repository) =>
        Assert.IsType<WorkRepositoryPrepared>(await PrepareAsync(featureId, repository)).WorkRepository;

    /// <summary>The credential the saga would dispatch with the task's attempt.</summary>
    public string Credential(Guid featureId, string taskId, int attempt = 1) =>
        StagingCredentials.ForTask(Keys.Find(featureId)!, featureId, taskId, attempt);

    /// <summary>The staging repository itself, read on disk.</summary>
    public GitRepository Staged(Guid featureId) => new(_runner, Options.RepositoryPath(featureId));

    /// <summary>A clone of the staging repository as an agent makes it, with <paramref name="credential"/> for every git call.</summary>
    public async Task<GitRepository> CloneAsync(string url, string? credential, string destination)
    {
        var clone = await GitRepository.CloneAsync(_runner, url, "main", destination, StagingCredentials.GitEnvironment(url, credential),
            TestContext.Current.CancellationToken);
        await clone.ConfigureIdentityAsync("Agent", "agent@example.invalid", TestContext.Current.CancellationToken);
        return clone;
    }

    /// <summary>
    /// The <c>git http-backend</c> processes serving this staging root now (their working directory is the root):
    /// how a test sees that a request's process is alive, or gone.
    /// </summary>
    public IReadOnlyList<int> BackendProcesses()
    {
        var root = Path.GetFullPath(Options.Root);
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                var workingDirectory = new DirectoryInfo(Path.Combine(directory, "cwd")).LinkTarget;
                if (commandLine is ["git", "http-backend", ..] && workingDirectory == root)
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while being looked at, or is not ours.
            }
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(CancellationToken.None);
        await _server.DisposeAsync();
    }
}
