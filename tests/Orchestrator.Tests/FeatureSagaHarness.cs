using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Features;
using Orchestrator.Contracts;
using Orchestrator.Persistence;
using Orchestrator.StateMachines;

namespace Orchestrator.Tests;

/// <summary>A fresh in-memory MassTransit harness with the feature saga, per test.</summary>
public sealed class FeatureSagaHarness : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = Eventually.DefaultTimeout;
    private readonly ServiceProvider _provider;

    private FeatureSagaHarness(ServiceProvider provider, FakeTimeProvider time)
    {
        _provider = provider;
        Time = time;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<FeatureStateMachine, FeatureState>();
    }

    public FakeTimeProvider Time { get; }

    public ITestHarness Harness { get; }

    public ISagaStateMachineTestHarness<FeatureStateMachine, FeatureState> Saga { get; }

    public Guid FeatureId { get; } = NewId.NextGuid();

    /// <param name="addToBus">More consumers on the same in-memory bus (another subscriber of the feature's events).</param>
    /// <param name="repository">Where saga instances are kept; MassTransit's in-memory repository when null.</param>
    public static async Task<FeatureSagaHarness> StartAsync(
        Action<FeatureWorkflowOptions>? configure = null,
        Action<IServiceCollection, IBusRegistrationConfigurator>? addToBus = null,
        Action<ISagaRegistrationConfigurator<FeatureState>>? repository = null)
    {
        var options = new FeatureWorkflowOptions();
        configure?.Invoke(options);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(options));
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<FeatureReader>();
        services.AddSingleton<ISagaStateReader<FeatureState>, InMemoryFeatureStates>();
        services.AddSingleton(new PriceTable(Options.Create(new PricingOptions
        {
            Models = { ["demo"] = new ModelPrice { InputPerMillion = 2.5m, OutputPerMillion = 10m } },
        })));
        services.AddSingleton(NullLogger<DeadlineMonitor>.Instance);
        services.AddSingleton<DeadlineMonitor>();
        services.AddMassTransitTestHarness(x =>
        {
            x.DisableUsageTelemetry();
            x.AddFeatureWorkflow(repository ?? (saga => saga.InMemoryRepository()));
            addToBus?.Invoke(services, x);
        });
        var created = new FeatureSagaHarness(services.BuildServiceProvider(true), time);
        await created.Harness.Start().WaitAsync(Timeout);
        return created;
    }

    public FeatureState? Instance => Saga.Sagas.Contains(FeatureId);

    public IServiceProvider Services => _provider;

    public async Task SubmitAsync(long? tokenBudget = null, bool? approvePlan = null, bool? review = null)
    {
        var client = Harness.GetRequestClient<SubmitFeature>();
        var response = await client.GetResponse<FeatureAccepted>(new SubmitFeature(
            FeatureId, "/repos/calculator.git", "main", "Add Power", new ModelSelection("demo", "scripted:demo"), Time.GetUtcNow())
        {
            TokenBudget = tokenBudget,
            ApprovePlan = approvePlan,
            Review = review,
        }).WaitAsync(Timeout);
        Assert.Equal(FeatureId, response.Message.FeatureId);
    }

    public Task PlanAsync(params PlannedTask[] tasks) => PlanAsync(stagingKey: null, tasks);

    /// <summary>Prepares the work repository (a staging one when <paramref name="stagingKey"/> is given) and plans.</summary>
    public async Task PlanAsync(string? stagingKey, params PlannedTask[] tasks)
    {
        await PrepareAndPlanAsync(stagingKey, tasks);
        await WaitForStateAsync(s => s.Executing);
    }

    /// <summary>Prepares the work repository and plans, without waiting for the state that follows (Executing, or a wait for approval).</summary>
    public async Task PrepareAndPlanAsync(string? stagingKey, params PlannedTask[] tasks)
    {
        await PublishAsync(new WorkRepositoryPrepared(FeatureId, "http://merge/git/feature.git") { StagingKey = stagingKey });
        await PublishAsync(new FeaturePlanned(FeatureId, "Add Power", "summary", "double Power(double, int)", tasks, new TokenUsage(10, 5, 1)));
    }

    public Task PublishAsync<T>(T message) where T : class => Harness.Bus.Publish(message, TestContext.Current.CancellationToken);

    /// <summary>Publishes a fault as the saga's own endpoint does when it cannot process the message (its source is that endpoint).</summary>
    public Task PublishSagaFaultAsync<T>(Fault<T> fault)
        where T : class =>
        Harness.Bus.Publish(fault, context => context.SourceAddress = new Uri($"loopback://localhost/{FeatureStateDefinition.QueueName}"),
            TestContext.Current.CancellationToken);

    /// <summary>Waits until the saga instance is in the given state.</summary>
    public Task WaitForStateAsync(Func<FeatureStateMachine, State> state)
    {
        var name = state(Saga.StateMachine).Name;
        return Eventually.TrueAsync(() => Instance?.CurrentState == name, $"the feature to reach {name} (it is {Instance?.CurrentState ?? "missing"})");
    }

    /// <summary>Waits until the saga has consumed <paramref name="count"/> messages of type T (everything it sent for them is sent by then).</summary>
    public Task WaitForConsumedAsync<T>(int count = 1)
        where T : class =>
        Eventually.TrueAsync(() => Saga.Consumed.ConsumedSoFar<T>() >= count, $"the saga to consume {count} {typeof(T).Name}");

    /// <summary>The first matching message the saga published, waiting for it (the saga publishes after it saved, so this can lag the state).</summary>
    public Task<T> PublishedAsync<T>(Func<T, bool> match)
        where T : class =>
        Harness.PublishedAsync(match);

    /// <summary>Every task assignment sent to an agent so far.</summary>
    public IReadOnlyList<TaskAssignment> Dispatched() =>
        Harness.SentSoFar<ImplementTask>().Select(m => m.Task)
            .Concat(Harness.SentSoFar<WriteTests>().Select(m => m.Task))
            .Concat(Harness.SentSoFar<WriteDocs>().Select(m => m.Task))
            .ToList();

    /// <summary>Waits until at least <paramref name="count"/> task assignments were sent; returns all of them.</summary>
    public Task<IReadOnlyList<TaskAssignment>> DispatchedAsync(int count) =>
        Eventually.ValueAsync(() => Dispatched() is { } all && all.Count >= count ? all : null, $"{count} task assignments");

    /// <summary>Waits for the assignment of a task's attempt.</summary>
    public Task<TaskAssignment> DispatchedAsync(string taskId, int attempt = 1) =>
        Eventually.ValueAsync(() => Dispatched().FirstOrDefault(t => t.TaskId == taskId && t.Attempt == attempt), $"task {taskId} attempt {attempt} to be dispatched");

    /// <summary>Waits until at least <paramref name="count"/> consolidations were requested; returns all of them, oldest first.</summary>
    public Task<IReadOnlyList<ConsolidateFeature>> ConsolidationsAsync(int count = 1) =>
        Eventually.ValueAsync(() => Harness.SentSoFar<ConsolidateFeature>() is { } all && all.Count >= count ? all : null, $"{count} ConsolidateFeature");

    public TaskCompleted Completed(string taskId, int attempt = 1) =>
        new(FeatureId, taskId, attempt, $"orchestrator/tasks/{FeatureId:N}/{taskId}", $"commit-{taskId}-{attempt}", $"did {taskId}",
            [$"{taskId}.cs"], new TokenUsage(100, 20, 2), "scripted:demo");

    /// <summary>An agent instance took the task's attempt, now by the harness's clock.</summary>
    public TaskStarted Started(string taskId, int attempt, string instance) => new(FeatureId, taskId, attempt, instance, Time.GetUtcNow());

    public DeadlineMonitor Monitor => _provider.GetRequiredService<DeadlineMonitor>();

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }

    public static PlannedTask Planned(string id, AgentRole role, params string[] dependsOn) =>
        new(id, role, $"Title of {id}", $"Instructions for {id}", dependsOn);
}
