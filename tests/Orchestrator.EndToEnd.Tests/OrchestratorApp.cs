using System.Diagnostics;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.EndToEnd.Tests.Faults;
using Orchestrator.EndToEnd.Tests.Roles;
using Orchestrator.EndToEnd.Tests.Scale;
using Orchestrator.EndToEnd.Tests.Security;
using Orchestrator.Testing;
using Orchestrator.Testing.GitHub;
using Orchestrator.Testing.Telemetry;
using Orchestrator.Workspaces;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>All end-to-end tests share one running system: two on one broker would consume each other's messages.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OrchestratorCollection : ICollectionFixture<OrchestratorApp>
{
    public const string Name = "orchestrator";
}

/// <summary>
/// The whole system through the AppHost, on the real local RabbitMQ (started by ./test.sh), with its own state file
/// and work folders. Started once for the test class.
/// </summary>
public sealed partial class OrchestratorApp : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    /// <summary>The system's services, by their Aspire resource names.</summary>
    public static readonly IReadOnlyList<string> Services = ["orchestrator", "coder", "tester", "docs", "merge"];

    /// <summary>The Reviewer agent's service; reviews are off in this suite unless a request turns them on.</summary>
    public const string ReviewerService = "reviewer";


    private DistributedApplication? _app;

    public string Root { get; } = Directory.CreateTempSubdirectory("orchestrator-e2e-").FullName;

    /// <summary>The API with this run's key as the default Authorization header of every request.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>
    /// Secrets planted where the real ones live (the model key, the forge token, the API key, every service's
    /// environment, user secrets, <c>$HOME</c>) before the system starts, for the whole suite: see SecretCanaryTests.
    /// </summary>
    public SecretCanaries Canaries { get; } = new();

    /// <summary>A fresh random key per run, as ./run.sh makes one for the demo; also a canary.</summary>
    public string ApiKey => Canaries.ApiKey;

    /// <summary>The system's <c>llm</c>: an OpenAI-compatible server answering with the demo script's turns.</summary>
    public OpenAiStandIn Llm { get; private set; } = null!;

    /// <summary>
    /// The system's GitHub: a GitHub Enterprise-shaped forge over HTTPS behind a private certificate authority that only
    /// <c>Forge:GitHub:CaFile</c> makes the merge service trust; it expects the (canary) forge token.
    /// </summary>
    public GitHubEnterpriseStandIn GitHub { get; private set; } = null!;

    /// <summary>Where every service exports its traces and metrics (OTLP), in place of the Aspire dashboard.</summary>
    public OtlpCollector Telemetry { get; private set; } = null!;

    /// <summary>The orchestrator's state store: a PostgreSQL database of this run's own.</summary>
    public StateDatabase State { get; private set; } = null!;

    public static string RepositoryRoot => SourceTree.Root;

    public async ValueTask InitializeAsync()
    {
        Canaries.Plant();
        try
        {
            await StartAsync();
        }
        catch
        {
            // Whether or not xUnit disposes a fixture that failed to start, the canaries must not stay in $HOME.
            Canaries.Remove();
            throw;
        }
    }

    private async Task StartAsync()
    {
        var messaging = Environment.GetEnvironmentVariable("ConnectionStrings__messaging");
        if (string.IsNullOrWhiteSpace(messaging))
        {
            throw new InvalidOperationException(
                "ConnectionStrings__messaging is not set: run the tests through ./test.sh, which starts the local RabbitMQ broker.");
        }

        Llm = await OpenAiStandIn.StartAsync();
        // The services must send the (canary) key they were given, or the stand-in answers 401 as OpenAI does.
        Llm.ExpectedKey = Canaries.LlmKey;
        Llm.Fallback = ScriptedStandIn.Responder(
            Script("demo-power", Path.Combine(RepositoryRoot, "samples", "scripts", "demo-power.json")),
            Script(SecretCanaryTests.Script, Path.Combine(AppContext.BaseDirectory, "Security", $"{SecretCanaryTests.Script}.json")),
            Script(FaultSuiteTests.Script, Path.Combine(AppContext.BaseDirectory, "Faults", $"{FaultSuiteTests.Script}.json")),
            Script(CompetingAgentsTests.Script, Path.Combine(AppContext.BaseDirectory, "Scale", $"{CompetingAgentsTests.Script}.json")),
            Script(ConfiguredRoleTests.Script, Path.Combine(AppContext.BaseDirectory, "Roles", $"{ConfiguredRoleTests.Script}.json")));

        GitHub = await GitHubEnterpriseStandIn.StartAsync(Path.Combine(Root, "github"), Canaries.ForgeToken);
        State = await StateDatabase.CreateAsync();
        Telemetry = await OtlpCollector.StartAsync();

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Orchestrator_AppHost>(
        [
            $"ConnectionStrings:messaging={messaging}",
            $"ConnectionStrings:llm={Llm.ConnectionString(Canaries.LlmKey)}",
            // Only the merge service gets the token; it is used for the stand-in's repositories alone, so the local forge is
            // unaffected. The certificate authority is trusted through the setting alone, not the machine's store.
            $"Parameters:github-token={Canaries.ForgeToken}",
            $"Forge:GitHub:ApiUrl={GitHub.ApiUrl}",
            $"Forge:GitHub:CloneHosts:0={GitHub.CloneHost}",
            $"Forge:GitHub:CaFile={GitHub.CaFile}",
            $"Repositories:AllowedHosts:0={GitHub.CloneHost}",
            $"Parameters:github-webhook-secret={Canaries.WebhookSecret}",
            "Models:RetryBaseDelay=00:00:00.050",
            $"Models:CassettesPath={Path.Combine(Root, "cassettes")}",
            "Models:RetryMaxDelay=00:00:00.200",
            "Messaging:Broker=local",
            "State:Store=postgres",
            $"ConnectionStrings:state={State.ConnectionString}",
            $"Agents:WorkRoot={Path.Combine(Root, "agents")}",
            $"Merge:WorkRoot={Path.Combine(Root, "merge")}",
            $"Planner:WorkRoot={Path.Combine(Root, "planner")}",
            "Features:DeadlineScanInterval=00:00:01",
            // A silent agent is lost after 6 s, so LivenessTests stays short.
            "Features:HeartbeatInterval=00:00:02",
            $"Api:Keys:e2e={ApiKey}",
            // The suite submits faster than a person does; the limit itself is covered in Orchestrator.Tests.
            "Api:SubmissionLimit:Permits=1000",
            // The sample repositories are local bare repositories.
            "Repositories:AllowLocal=true",
            // The shipped example role, as an operator adds it: configuration only (ConfiguredRoleTests).
            .. ExampleRoleSettings(),
            // The Reviewer adds a clone and a model call to every feature: off here, on where a test is about it
            // ("review": true in its request: ConflictAndFixTests' review fix round, RealModelTests' approval over the wire).
            "Features:Review=false",
        ]).WaitAsync(StartTimeout);
        ExportTelemetryTo(builder, Telemetry);

        _app = await builder.BuildAsync().WaitAsync(StartTimeout);
        await _app.StartAsync().WaitAsync(StartTimeout);
        foreach (var service in Services.Append(ConfiguredRoleService))
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(service).WaitAsync(StartTimeout);
        }

        // Not one of Services: the suites that go through every service (faults, canaries, traces) run without reviews.
        await _app.ResourceNotifications.WaitForResourceHealthyAsync(ReviewerService).WaitAsync(StartTimeout);

        Api = CreateClient(ApiKey);
    }

    /// <summary>A client of the orchestrator's API sending <paramref name="key"/> as its bearer key, or no key.</summary>
    public HttpClient CreateClient(string? key)
    {
        var client = _app!.CreateHttpClient("orchestrator");
        client.Timeout = TimeSpan.FromMinutes(1);
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Where a service's named endpoint listens, e.g. <c>http://localhost:5123/</c>.</summary>
    public Uri Endpoint(string resource, string name = "http") => _app!.GetEndpoint(resource, name);

    /// <summary>The process id of a running service.</summary>
    public async Task<int> ProcessIdAsync(string resource) =>
        ProcessIdOf(await _app!.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(StartTimeout));

    /// <summary>Every line a service has written to its console so far (all of its processes, restarts included).</summary>
    public async Task<IReadOnlyList<string>> LogsAsync(string resource)
    {
        var running = await _app!.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(StartTimeout);
        var lines = new List<string>();
        await foreach (var batch in _app.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(running.ResourceId))
        {
            lines.AddRange(batch.Select(line => line.Content));
        }

        return lines;
    }

    /// <summary>
    /// Kills a service's process, as a crash would end it mid-work, and waits until the AppHost's supervisor has started
    /// a new one and it is healthy again — nobody else starts it.
    /// </summary>
    public async Task CrashAsync(string resource)
    {
        var running = await _app!.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(StartTimeout);
        var pid = ProcessIdOf(running);
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(entireProcessTree: true);
        }

        await _app.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text is "Exited" or "Finished")
            .WaitAsync(StartTimeout);
        var restarted = await _app.ResourceNotifications.WaitForResourceAsync(
                resource, e => e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy && ProcessIdOf(e) != pid)
            .WaitAsync(StartTimeout);
        Assert.NotEqual(pid, ProcessIdOf(restarted));
    }

    private static int ProcessIdOf(ResourceEvent resource) =>
        resource.Snapshot.Properties.FirstOrDefault(p => p.Name.EndsWith(".pid", StringComparison.Ordinal))?.Value is { } value
            ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)
            : -1;

    /// <summary>Creates a fresh bare copy of the bundled sample repository and returns its path.</summary>
    public string CreateSampleRepository()
    {
        var destination = Path.Combine(Root, "forge", Guid.NewGuid().ToString("N"));
        var output = Run("bash", [Path.Combine(RepositoryRoot, "samples", "create-sample-repo.sh"), destination], RepositoryRoot);
        Assert.True(output.ExitCode == 0, output.Text);
        return output.Stdout.Trim().Split('\n')[^1];
    }

    public async Task<JsonElement> WaitForEndAsync(string location, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        JsonElement feature = default;
        while (DateTimeOffset.UtcNow < deadline)
        {
            feature = await Api.GetFromJsonAsync<JsonElement>(location, TestContext.Current.CancellationToken);
            if (feature.GetProperty("state").GetString() is "Completed" or "Failed" or "Cancelled")
            {
                return feature;
            }

            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"The feature did not end within {timeout}: {feature}");
        return feature;
    }

    public async ValueTask DisposeAsync()
    {
        Canaries.Remove();
        Api?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromMinutes(1));
            await _app.DisposeAsync();
        }

        // What the system talked to goes after it, so nothing fails under a service that is still shutting down.
        if (Llm is not null)
        {
            await Llm.DisposeAsync();
        }

        if (GitHub is not null)
        {
            await GitHub.DisposeAsync();
        }

        if (State is not null)
        {
            await State.DisposeAsync();
        }

        if (Telemetry is not null)
        {
            await Telemetry.DisposeAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A service may still be releasing a workspace; the temp folder is cleaned by the OS.
        }
    }

    private static Orchestrator.Llm.Devices.ModelScript Script(string name, string path) =>
        Orchestrator.Llm.Devices.ModelScriptParser.Parse(name, File.ReadAllText(path));
}
