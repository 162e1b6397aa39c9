using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;
using Orchestrator.Llm.Devices;
using Orchestrator.Messaging;

namespace Orchestrator.Agents.Tests.Support;

/// <summary>
/// The Coder service as Program.cs builds it (<see cref="AgentServiceExtensions.AddAgentService{TCommand}"/>), with
/// MassTransit's in-memory test harness in place of RabbitMQ: the real consumer, runner, models and workspaces.
/// </summary>
internal sealed class AgentHost : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly IHost _host;

    private AgentHost(IHost host, string workRoot, string scriptsPath)
    {
        _host = host;
        WorkRoot = workRoot;
        ScriptsPath = scriptsPath;
        Harness = host.Services.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }

    public string WorkRoot { get; }

    public string ScriptsPath { get; }

    public static async Task<AgentHost> StartAsync(
        TempDirectory temp, TimeSpan? commandTimeout = null, string? scriptsPath = null, int concurrency = 1)
    {
        var workRoot = temp.CreateDirectory("agent-work");
        scriptsPath ??= temp.CreateDirectory("scripts");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Only for the RabbitMQ registration the harness replaces; nothing connects to it.
            ["ConnectionStrings:messaging"] = "amqp://guest:guest@localhost:5672/",
            ["Models:ScriptsPath"] = scriptsPath,
            ["Agents:WorkRoot"] = workRoot,
            ["Agents:CommandTimeout"] = (commandTimeout ?? TimeSpan.FromMinutes(2)).ToString(),
            ["Agents:Concurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Logging.AddProvider(new TestOutputLoggerProvider(TestContext.Current.TestOutputHelper));

        builder.AddAgentService(AgentRoutes.Coder, CoderService.Assembly);
        // The test keeps the scripts, as the orchestrator does; the agent asks for them over the (in-memory) bus.
        builder.Services.AddModelDeviceKeeper();
        builder.Services.AddMassTransitTestHarness(TextWriter.Null, x =>
        {
            x.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(3));
            x.AddModelDeviceKeeperConsumers();
        });

        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30));
        return new AgentHost(host, workRoot, scriptsPath);
    }

    /// <summary>Collects, from now on, what the host records on an instrument of the <c>Orchestrator</c> meter.</summary>
    public MetricCollector<T> CollectMetric<T>(string instrument)
        where T : struct =>
        new(_host.Services.GetRequiredService<IMeterFactory>(), AgentTaskMetrics.MeterName, instrument);

    /// <summary>The task attempts the runner timed so far, as (role, outcome).</summary>
    public static IReadOnlyList<(string? Role, string? Outcome)> TimedAttempts(MetricCollector<double> durations) =>
        durations.GetMeasurementSnapshot().Select(m => ((string?)m.Tags["role"], (string?)m.Tags["outcome"])).ToList();

    public string WriteScript(string name, string json)
    {
        var path = Path.Combine(ScriptsPath, name + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    public async Task SendAsync(TaskAssignment task)
    {
        var endpoint = await Harness.Bus.GetSendEndpoint(Queues.Address(Queues.Coder));
        await endpoint.Send(new ImplementTask(task), TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10));
    }

    public Task PublishAsync<T>(T message)
        where T : class =>
        Harness.Bus.Publish(message, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>The TaskCompleted or TaskFailed the runner published for this attempt; fails on a fault or a timeout.</summary>
    public Task<object> OutcomeAsync(TaskAssignment task, int occurrence = 1, TimeSpan? timeout = null) =>
        Harness.OutcomeAsync(m => Concerns(m, task), $"task {task.TaskId} attempt {task.Attempt}", occurrence, timeout);

    public async Task<TaskCompleted> CompletedAsync(TaskAssignment task, int occurrence = 1, TimeSpan? timeout = null)
    {
        var outcome = await OutcomeAsync(task, occurrence, timeout);
        return outcome as TaskCompleted
            ?? throw new Xunit.Sdk.XunitException($"Expected TaskCompleted, got {outcome}");
    }

    public async Task<TaskFailed> FailedAsync(TaskAssignment task, TimeSpan? timeout = null)
    {
        var outcome = await OutcomeAsync(task, timeout: timeout);
        return outcome as TaskFailed
            ?? throw new Xunit.Sdk.XunitException($"Expected TaskFailed, got {outcome}");
    }

    private static bool Concerns(object message, TaskAssignment task) => message switch
    {
        TaskCompleted c => c.FeatureId == task.FeatureId && c.TaskId == task.TaskId && c.Attempt == task.Attempt,
        TaskFailed f => f.FeatureId == task.FeatureId && f.TaskId == task.TaskId && f.Attempt == task.Attempt,
        Fault<ImplementTask> fault => fault.Message.Task.FeatureId == task.FeatureId && fault.Message.Task.TaskId == task.TaskId,
        _ => false,
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(CancellationToken.None).WaitAsync(StopTimeout);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
