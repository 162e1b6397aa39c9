using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Api.Features;
using Orchestrator.Contracts;

namespace Orchestrator.Api.Tests;

/// <summary>A fresh in-memory MassTransit harness with the feature saga, per test.</summary>
public sealed class FeatureSagaHarness : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
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

    public static async Task<FeatureSagaHarness> StartAsync(Action<FeatureWorkflowOptions>? configure = null)
    {
        var options = new FeatureWorkflowOptions();
        configure?.Invoke(options);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(options));
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<FeatureReader>();
        services.AddSingleton(new PriceTable(Options.Create(new PricingOptions
        {
            Models = { ["demo"] = new ModelPrice { InputPerMillion = 2.5m, OutputPerMillion = 10m } },
        })));
        services.AddSingleton(NullLogger<DeadlineMonitor>.Instance);
        services.AddSingleton<DeadlineMonitor>();
        services.AddMassTransitTestHarness(x => x.AddFeatureWorkflow(saga => saga.InMemoryRepository()));
        var created = new FeatureSagaHarness(services.BuildServiceProvider(true), time);
        await created.Harness.Start().WaitAsync(Timeout);
        return created;
    }

    public FeatureState? Instance => Saga.Sagas.Contains(FeatureId);

    public async Task SubmitAsync(long? tokenBudget = null)
    {
        var client = Harness.GetRequestClient<SubmitFeature>();
        var response = await client.GetResponse<FeatureAccepted>(new SubmitFeature(
            FeatureId, "/repos/calculator.git", "main", "Add Power", new ModelSelection("demo", "scripted:demo"), Time.GetUtcNow())
        {
            TokenBudget = tokenBudget,
        }).WaitAsync(Timeout);
        Assert.Equal(FeatureId, response.Message.FeatureId);
    }

    public async Task PlanAsync(params PlannedTask[] tasks)
    {
        await Harness.Bus.Publish(new WorkRepositoryPrepared(FeatureId, "http://merge/git/feature.git"));
        await Harness.Bus.Publish(new FeaturePlanned(FeatureId, "Add Power", "summary", "double Power(double, int)", tasks, new TokenUsage(10, 5, 1)));
        await WaitForStateAsync(s => s.Executing);
    }

    public Task PublishAsync<T>(T message) where T : class => Harness.Bus.Publish(message);

    public async Task WaitForStateAsync(Func<FeatureStateMachine, State> state)
    {
        var id = await Saga.Exists(FeatureId, state, Timeout);
        Assert.True(id.HasValue, $"feature did not reach {state(Saga.StateMachine).Name}; it is {Instance?.CurrentState}");
    }

    /// <summary>Waits until the saga has consumed <paramref name="count"/> messages of type T (events are handled in order per instance).</summary>
    public async Task WaitForConsumedAsync<T>(int count = 1) where T : class
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (Saga.Consumed.Select<T>(timeout.Token).Count() < count)
        {
            await Task.Delay(20, timeout.Token);
        }

        await Harness.InactivityTask.WaitAsync(Timeout);
    }

    /// <summary>True once a matching message was published (the saga publishes after it saved, so this can lag the state).</summary>
    public async Task<bool> PublishedAsync<T>(Func<T, bool> match) where T : class
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!Harness.Published.Select<T>(timeout.Token).Any(m => match(m.Context.Message)))
        {
            if (timeout.IsCancellationRequested)
            {
                return false;
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return true;
    }

    public IReadOnlyList<TaskAssignment> Dispatched() =>
        Harness.Sent.Select<ImplementTask>().Select(m => m.Context.Message.Task)
            .Concat(Harness.Sent.Select<WriteTests>().Select(m => m.Context.Message.Task))
            .Concat(Harness.Sent.Select<WriteDocs>().Select(m => m.Context.Message.Task))
            .ToList();

    public TaskCompleted Completed(string taskId, int attempt = 1) =>
        new(FeatureId, taskId, attempt, $"orchestrator/tasks/{FeatureId:N}/{taskId}", $"commit-{taskId}-{attempt}", $"did {taskId}",
            [$"{taskId}.cs"], new TokenUsage(100, 20, 2), "scripted:demo");

    public DeadlineMonitor Monitor => _provider.GetRequiredService<DeadlineMonitor>();

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }

    public static PlannedTask Planned(string id, AgentRole role, params string[] dependsOn) =>
        new(id, role, $"Title of {id}", $"Instructions for {id}", dependsOn);
}
