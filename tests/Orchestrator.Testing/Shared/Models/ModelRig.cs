using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;
using Orchestrator.Agents;
using Orchestrator.Contracts;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;
using Orchestrator.Testing;
using Orchestrator.Workspaces;

namespace Orchestrator.Tests.Support;

/// <summary>
/// The model layer as a service uses it (options, factory, logging at every level) pointed at a fresh
/// <see cref="OpenAiStandIn"/>, with retry delays kept tiny.
/// </summary>
internal sealed class ModelRig : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();
    private bool _standInStopped;

    private ModelRig(OpenAiStandIn standIn, ServiceProvider services, CapturingLoggerProvider logs)
    {
        StandIn = standIn;
        Services = services;
        Logs = logs;
        Factory = services.GetRequiredService<ChatModelFactory>();
        Devices = services.GetRequiredService<ModelDeviceSelection>();
    }

    public OpenAiStandIn StandIn { get; }

    public ServiceProvider Services { get; }

    public CapturingLoggerProvider Logs { get; }

    public ChatModelFactory Factory { get; }

    /// <summary>Scripts and cassettes, kept by the rig as the orchestrator keeps them.</summary>
    public ModelDeviceSelection Devices { get; }

    public ModelSelection Llm => Factory.SelectLive(null);

    /// <summary>A client for one conversation (the task <paramref name="agent"/>'s first run, by default of no feature).</summary>
    public Task<Microsoft.Extensions.AI.IChatClient> ClientAsync(ModelSelection model, string agent, UsageMeter meter, Guid feature = default, int run = 1) =>
        Factory.CreateAsync(model, new ModelConversation(feature, agent, run), meter, TestContext.Current.CancellationToken);

    /// <summary>True when no captured log line, at any level, contains <paramref name="secret"/>.</summary>
    public void AssertNoLogContains(string secret)
    {
        Assert.NotEmpty(Logs.Lines);
        Assert.DoesNotContain(Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
    }

    public static async Task<ModelRig> StartAsync(
        ITestOutputHelper? output,
        Func<OpenAiStandIn, string>? connectionString = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var standIn = await OpenAiStandIn.StartAsync(TestContext.Current.CancellationToken);
        standIn.ExpectedKey = OpenAiStandIn.DefaultKey;
        var logs = new CapturingLoggerProvider(output);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:llm"] = (connectionString ?? (s => s.ConnectionString()))(standIn),
                ["Models:ScriptsPath"] = Path.GetTempPath(),
                ["Models:CassettesPath"] = Path.Combine(Path.GetTempPath(), "orchestrator-rig-cassettes", Guid.NewGuid().ToString("N")),
                ["Models:RetryBaseDelay"] = "00:00:00.010",
                ["Models:RetryMaxDelay"] = "00:00:01",
                ["Models:RequestTimeout"] = "00:00:10",
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var collection = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddOrchestratorModels()
            .AddModelDeviceKeeper();
        configure?.Invoke(collection);
        var services = collection.BuildServiceProvider();
        return new ModelRig(standIn, services, logs);
    }

    /// <summary>A kernel with the agents' workspace plugin on a fresh directory.</summary>
    public (Kernel Kernel, string Workspace, ToolActivityLog Activity) KernelWithWorkspace(AgentOptions? options = null)
    {
        var workspace = _temp.CreateDirectory($"workspace-{Guid.NewGuid():N}");
        var activity = new ToolActivityLog(NullLogger.Instance, "task-a");
        var kernel = new Kernel(Services);
        kernel.Plugins.AddFromObject(
            new WorkspacePlugin(new WorkspaceRoot(workspace), new BubblewrapCommandRunner(new ProcessRunner(NullLogger<ProcessRunner>.Instance), Microsoft.Extensions.Options.Options.Create(new SandboxOptions()), NullLogger<BubblewrapCommandRunner>.Instance), options ?? new AgentOptions(), activity),
            WorkspacePlugin.PluginName);
        return (kernel, workspace, activity);
    }

    /// <summary>Stops the stand-in: from now on nothing answers at the endpoint.</summary>
    public async Task StopStandInAsync()
    {
        if (!_standInStopped)
        {
            _standInStopped = true;
            await StandIn.DisposeAsync();
        }
    }

    /// <summary>A fresh directory under the rig's temp folder.</summary>
    public string CreateDirectory(string name) => _temp.CreateDirectory(name);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await StopStandInAsync();
        _temp.Dispose();
    }
}
