using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Messaging;

namespace Orchestrator.Bench.Orchestration;

/// <summary>How the simulated agents behave: their fixed latency, capacity, and whether they do the git work.</summary>
internal sealed record AgentSimulation(TimeSpan Latency, int Concurrency, bool Git, string WorkRoot)
{
    /// <summary>Only in the git-excluded mode does the benchmark answer for the merge service too.</summary>
    public bool SimulateMerge => !Git;
}

/// <summary>
/// The agent services (and, with git excluded, the merge service) replaced by consumers of their real queues that wait
/// a fixed latency and answer as the real ones do: <see cref="TaskStarted"/>, then <see cref="TaskCompleted"/>. One
/// instance is one bus connection with its own consumers, like one replica of each role.
/// </summary>
internal sealed class SimulatedAgents(Uri broker, AgentSimulation simulation, TaskLedger ledger) : IAsyncDisposable
{
    private readonly List<IBusControl> _instances = [];
    private readonly SimulatedGitWork _git = new(simulation.WorkRoot);
    private int _pullRequests;
    private int _arrived;

    /// <summary>While set, tasks are taken off their queues but held there: features stay in flight.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>How many task commands the agents have taken so far.</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    public async Task StartAsync(int replicas, IReadOnlyList<string>? roles = null)
    {
        roles ??= [Queues.Coder, Queues.Tester, Queues.Docs];
        for (var replica = 1; replica <= replicas; replica++)
        {
            var instance = $"bench-agent@{Environment.MachineName}/{replica}";
            var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
            {
                cfg.Host(broker, host => host.ConnectionName(instance));
                foreach (var role in roles)
                {
                    cfg.ReceiveEndpoint(role, e => ConfigureAgent(e, role, instance));
                }

                if (simulation.SimulateMerge)
                {
                    cfg.ReceiveEndpoint(Queues.MergePrepare, e => e.Handler<PrepareWorkRepository>(PrepareAsync));
                    cfg.ReceiveEndpoint(Queues.Merge, e =>
                    {
                        e.PrefetchCount = simulation.Concurrency;
                        e.Handler<ConsolidateFeature>(ConsolidateAsync);
                    });
                }
            });
            using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await bus.StartAsync(starting.Token);
            _instances.Add(bus);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var bus in _instances)
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await bus.StopAsync(stopping.Token);
        }

        _instances.Clear();
    }

    private void ConfigureAgent(IRabbitMqReceiveEndpointConfigurator endpoint, string role, string instance)
    {
        // As the real agents: prefetch matches the tasks an instance takes at once (Agents:Concurrency).
        endpoint.PrefetchCount = simulation.Concurrency;
        endpoint.ConcurrentMessageLimit = simulation.Concurrency;
        switch (role)
        {
            case Queues.Coder:
                endpoint.Handler<ImplementTask>(context => WorkAsync(context, context.Message.Task, instance));
                break;
            case Queues.Tester:
                endpoint.Handler<WriteTests>(context => WorkAsync(context, context.Message.Task, instance));
                break;
            default:
                endpoint.Handler<WriteDocs>(context => WorkAsync(context, context.Message.Task, instance));
                break;
        }
    }

    private async Task WorkAsync(ConsumeContext context, TaskAssignment task, string instance)
    {
        var arrived = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _arrived);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(context.CancellationToken);
        }

        await context.Publish(new TaskStarted(task.FeatureId, task.TaskId, task.Attempt, instance, DateTimeOffset.UtcNow));
        // The agent's own time (the critical path) is the wait alone; the git work, when done, is orchestration cost.
        var working = Stopwatch.StartNew();
        await Task.Delay(simulation.Latency, context.CancellationToken);
        var workMs = working.Elapsed.TotalMilliseconds;

        var commit = simulation.Git
            ? await _git.PushChangeAsync(task, context.CancellationToken)
            : Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "00000000";
        ledger.Record(task.FeatureId, task.TaskId, new TaskRecord(arrived, workMs, Stopwatch.GetTimestamp()));
        await context.Publish(new TaskCompleted(
            task.FeatureId, task.TaskId, task.Attempt, task.Branch, commit, $"Simulated {task.TaskId}.",
            [SimulatedGitWork.FileOf(task)], TokenUsage.None, "bench: simulated agent (no model)"));
    }

    private Task PrepareAsync(ConsumeContext<PrepareWorkRepository> context) =>
        context.Publish(new WorkRepositoryPrepared(context.Message.FeatureId, $"{context.Message.Repository}#bench-staging"));

    private Task ConsolidateAsync(ConsumeContext<ConsolidateFeature> context)
    {
        var request = context.Message;
        var number = Interlocked.Increment(ref _pullRequests);
        var pullRequest = new PullRequestInfo(
            number, $"bench://pulls/{number}", request.FeatureBranch, request.BaseBranch, request.Repository, "bench");
        return context.Publish(new PullRequestOpened(
            request.FeatureId, pullRequest, new VerificationResult(true, "(simulated)", "not run: merge simulated") { Ran = false }));
    }
}

/// <summary>One task as a simulated agent saw it: when it arrived, how long it worked, when it answered.</summary>
internal sealed record TaskRecord(long ArrivedTicks, double WorkMs, long AnsweredTicks);

/// <summary>What the simulated agents did, for the critical path of each feature and where its overhead went.</summary>
internal sealed class TaskLedger
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, TaskRecord>> _tasks = new();

    public void Record(Guid featureId, string taskId, TaskRecord record) =>
        _tasks.GetOrAdd(featureId, _ => new ConcurrentDictionary<string, TaskRecord>(StringComparer.Ordinal))[taskId] = record;

    public IReadOnlyDictionary<string, TaskRecord> RecordsOf(Guid featureId) =>
        _tasks.TryGetValue(featureId, out var tasks) ? tasks : new Dictionary<string, TaskRecord>();

    public IReadOnlyDictionary<string, double> TasksOf(Guid featureId) =>
        RecordsOf(featureId).ToDictionary(t => t.Key, t => t.Value.WorkMs, StringComparer.Ordinal);
}
