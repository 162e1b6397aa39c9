using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orchestrator.Workspaces.Kubernetes.Tests;

/// <summary>
/// One test's world: a bare repository standing for the feature's staging repository, a workspace cloned from it
/// with an uncommitted edit, the API stand-in, and the runner pointed at the stand-in.
/// </summary>
internal sealed class RunnerFixture : IAsyncDisposable
{
    /// <summary>A value that would be a credential: it must appear in the Secret and nowhere else.</summary>
    public const string Credential = "Authorization: Bearer canary-staging-credential-4f1d";

    public const string Namespace = "orchestrator-test";

    private readonly TempDirectory _temp = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private RunnerFixture(KubernetesStandIn api) => Api = api;

    public KubernetesStandIn Api { get; }

    public ProcessRunner Processes { get; } = Runners.Create();

    public string Staging => _temp.Combine("staging.git");

    public string Workspace => _temp.Combine("workspace");

    public RecordingLoggerProvider Logs { get; } = new();

    public KubernetesJobRunnerOptions Options { get; } = new()
    {
        Namespace = Namespace,
        Image = "mcr.microsoft.com/dotnet/sdk:10.0",
        Role = "coder",
        CpuRequest = "250m",
        CpuLimit = "1500m",
        MemoryRequest = "512Mi",
        MemoryLimit = "3Gi",
        ActiveDeadlineSeconds = 900,
        TtlSecondsAfterFinished = 120,
    };

    // Git's own variables, as StagingCredentials.GitEnvironment makes them; a local path ignores the header.
    public RemoteWorkspace Remote => new(Staging, new Dictionary<string, string>
    {
        ["GIT_CONFIG_COUNT"] = "1",
        ["GIT_CONFIG_KEY_0"] = "http.http://merge:8080/git/feature.git.extraheader",
        ["GIT_CONFIG_VALUE_0"] = Credential,
    }, "refs/orchestrator/runs/tasks/implement/");

    public static async Task<RunnerFixture> CreateAsync()
    {
        var fixture = new RunnerFixture(await KubernetesStandIn.StartAsync());
        fixture.Options.ApiUrl = fixture.Api.Url;
        await fixture.SeedAsync();
        return fixture;
    }

    public KubernetesJobCommandRunner Runner(KubernetesJobRunnerOptions? options = null)
    {
        var configured = Microsoft.Extensions.Options.Options.Create(options ?? Options);
        return new KubernetesJobCommandRunner(
            new KubernetesApi(configured), Processes, configured, TimeProvider.System,
            new Logger<KubernetesJobCommandRunner>(new LoggerFactory([Logs])));
    }

    public RepositoryCommandRequest Request(string command = "dotnet", params string[] arguments) =>
        new(Workspace, new RepositoryCommand(command, arguments.Length > 0 ? arguments : ["test"]))
        {
            Remote = Remote,
            Limits = new RepositoryCommandLimits { Timeout = TimeSpan.FromMinutes(5) },
        };

    /// <summary>The refs of the staging repository under refs/orchestrator/.</summary>
    public async Task<string> RunRefsAsync() =>
        await new GitRepository(Processes, Staging).RunAsync(_ct, "for-each-ref", "--format=%(refname)", "refs/orchestrator/");

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        _temp.Dispose();
    }

    private async Task SeedAsync()
    {
        await GitRepository.InitBareAsync(Processes, Staging, "main", _ct);
        var seed = await GitRepository.InitAsync(Processes, _temp.Combine("seed"), "main", _ct);
        await seed.ConfigureIdentityAsync("Seed", "seed@example.invalid", _ct);
        File.WriteAllText(Path.Combine(seed.WorkingDirectory, "README.md"), "committed\n");
        await seed.CommitAllAsync("Initial commit", _ct);
        await seed.AddRemoteAsync("origin", Staging, _ct);
        await seed.PushAsync("main", force: false, _ct);

        await GitRepository.CloneAsync(Processes, Staging, "main", Workspace, _ct);
        File.WriteAllText(Path.Combine(Workspace, "README.md"), "edited, not committed\n");
        File.WriteAllText(Path.Combine(Workspace, "New.cs"), "class New {}\n");
    }
}

/// <summary>Keeps every log line, so a test can say what never reached a log.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Recording(_lines);

    public void Dispose()
    {
    }

    private sealed class Recording(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
    }
}
