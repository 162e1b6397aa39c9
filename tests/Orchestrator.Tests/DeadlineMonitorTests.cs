using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Persistence;
using Orchestrator.StateMachines;

namespace Orchestrator.Tests;

/// <summary>The deadline monitor's liveness rules, on features written straight into a store it reads.</summary>
public sealed class DeadlineMonitorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly ListedFeatures _features = new();
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private DeadlineMonitor _monitor = null!;

    public async ValueTask InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddMassTransitTestHarness(x => x.DisableUsageTelemetry());
        _provider = services.BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
        var options = Options.Create(new FeatureWorkflowOptions { HeartbeatInterval = Interval });
        _monitor = new DeadlineMonitor(new FeatureReader(_features), _provider.GetRequiredService<IBus>(), options, _time, NullLogger<DeadlineMonitor>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task A_running_task_is_lost_after_three_silent_intervals_and_not_before()
    {
        var feature = _features.Executing(Running("implement", attempt: 2, lastSeen: Start));

        _time.Advance(Interval * 3 - TimeSpan.FromMilliseconds(1));
        await _monitor.ScanAsync(CancellationToken.None);
        Assert.Empty(_harness.PublishedSoFar<TaskLost>());

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await _monitor.ScanAsync(CancellationToken.None);
        Assert.Equal([new TaskLost(feature.CorrelationId, "implement", 2, Start)], _harness.PublishedSoFar<TaskLost>());
    }

    [Fact]
    public async Task A_queued_task_is_never_lost_only_timed_out_at_its_deadline()
    {
        var queued = new FeatureTask { TaskId = "queued", State = FeatureTaskState.Queued, Attempts = 1, StartedAt = Start, Deadline = Start.AddMinutes(20) };
        _features.Executing(queued, Running("running", attempt: 1, lastSeen: Start));

        _time.Advance(TimeSpan.FromMinutes(19));
        await _monitor.ScanAsync(CancellationToken.None);
        Assert.Equal(["running"], _harness.PublishedSoFar<TaskLost>().Select(m => m.TaskId));

        _time.Advance(TimeSpan.FromMinutes(1));
        await _monitor.ScanAsync(CancellationToken.None);
        Assert.Equal(["queued"], _harness.PublishedSoFar<TaskTimedOut>().Select(m => m.TaskId));
        Assert.Equal(["running"], _harness.PublishedSoFar<TaskLost>().Select(m => m.TaskId));
    }

    [Fact]
    public async Task A_silence_is_reported_once_and_a_new_silence_after_a_heartbeat_again()
    {
        var task = Running("implement", attempt: 1, lastSeen: Start);
        _features.Executing(task);

        _time.Advance(Interval * 3);
        await _monitor.ScanAsync(CancellationToken.None);
        await _monitor.ScanAsync(CancellationToken.None);
        Assert.Single(_harness.PublishedSoFar<TaskLost>());

        task.LastSeen = _time.GetUtcNow();
        _time.Advance(Interval * 3);
        await _monitor.ScanAsync(CancellationToken.None);
        Assert.Equal([Start, task.LastSeen!.Value], _harness.PublishedSoFar<TaskLost>().Select(m => m.LastSeen));
    }

    [Fact]
    public async Task A_started_consolidation_is_lost_after_three_silent_intervals_but_a_queued_one_never()
    {
        var started = _features.Consolidating(new ConsolidationRound { Attempts = 1, Instance = "merge@m/1", LastSeen = Start });
        _features.Consolidating(new ConsolidationRound { Attempts = 1 });

        _time.Advance(Interval * 3 - TimeSpan.FromMilliseconds(1));
        await _monitor.ScanAsync(CancellationToken.None);
        Assert.Empty(_harness.PublishedSoFar<ConsolidationLost>());

        _time.Advance(TimeSpan.FromMinutes(10));
        await _monitor.ScanAsync(CancellationToken.None);
        Assert.Equal([new ConsolidationLost(started.CorrelationId, Start)], _harness.PublishedSoFar<ConsolidationLost>());
    }

    [Fact]
    public async Task The_round_of_a_feature_back_to_executing_is_not_watched()
    {
        var feature = _features.Consolidating(new ConsolidationRound { Attempts = 1, Instance = "merge@m/1", LastSeen = Start });
        feature.CurrentState = "Executing";
        var control = _features.Executing(Running("implement", attempt: 1, lastSeen: Start));

        _time.Advance(Interval * 3);
        await _monitor.ScanAsync(CancellationToken.None);

        Assert.Equal([control.CorrelationId], _harness.PublishedSoFar<TaskLost>().Select(m => m.FeatureId));
        Assert.Empty(_harness.PublishedSoFar<ConsolidationLost>());
    }

    private static FeatureTask Running(string taskId, int attempt, DateTimeOffset lastSeen) => new()
    {
        TaskId = taskId,
        State = FeatureTaskState.Running,
        Attempts = attempt,
        StartedAt = Start,
        Deadline = Start.AddHours(1),
        Instance = "coder@pod/1",
        LastSeen = lastSeen,
    };

    /// <summary>Features the test writes and the monitor reads, as the state store would hold them.</summary>
    private sealed class ListedFeatures : ISagaStateReader<FeatureState>
    {
        private readonly List<FeatureState> _features = [];

        public FeatureState Executing(params FeatureTask[] tasks) => Add(new FeatureState { CurrentState = "Executing", Tasks = [.. tasks] });

        public FeatureState Consolidating(ConsolidationRound round) =>
            Add(new FeatureState { CurrentState = "Consolidating", Consolidation = round, StageDeadline = Start.AddMinutes(30) });

        public Task<FeatureState?> FindAsync(Guid correlationId, CancellationToken cancellationToken) =>
            Task.FromResult(_features.Find(f => f.CorrelationId == correlationId));

        public Task<IReadOnlyList<FeatureState>> ListAsync(SagaStateFilter filter, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<FeatureState>>(_features.Where(f => filter.NotInStates?.Contains(f.CurrentState) != true).ToList());

        public Task<IReadOnlyDictionary<string, long>> CountByStateAsync(CancellationToken cancellationToken) =>
            throw new NotSupportedException("The deadline monitor does not count features.");

        private FeatureState Add(FeatureState feature)
        {
            feature.CorrelationId = Guid.NewGuid();
            _features.Add(feature);
            return feature;
        }
    }
}
