using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Features;
using Orchestrator.Observability;
using Orchestrator.Persistence;
using Orchestrator.StateMachines;

namespace Orchestrator.Tests.Observability;

/// <summary>The <c>orchestrator.features</c> gauge, read from the state store's count per state.</summary>
public sealed class FeatureStateMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new();
    private readonly CountedStates _states = new();
    private readonly FeatureStateMetrics _metrics;
    private readonly MetricCollector<long> _features;

    public FeatureStateMetricsTests()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        _metrics = new FeatureStateMetrics(meters, new FeatureReader(_states), _time, NullLogger<FeatureStateMetrics>.Instance);
        _features = new MetricCollector<long>(meters, FeatureStateMetrics.MeterName, FeatureStateMetrics.FeaturesName, _time);
    }

    public void Dispose()
    {
        _features.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task Reports_the_features_in_each_state_and_zero_for_a_state_every_feature_has_left()
    {
        _states.Counts = new Dictionary<string, long> { ["Executing"] = 2, ["Completed"] = 1 };
        await _metrics.RefreshAsync();
        Assert.Equal(new Dictionary<string, long> { ["Executing"] = 2, ["Completed"] = 1 }, Observe());

        _states.Counts = new Dictionary<string, long> { ["Completed"] = 3 };
        _time.Advance(FeatureStateMetrics.MaxAge);
        await _metrics.RefreshAsync();

        Assert.Equal(new Dictionary<string, long> { ["Executing"] = 0, ["Completed"] = 3 }, Observe());
    }

    [Fact]
    public async Task Collecting_never_waits_for_the_store_it_reports_the_reading_once_it_is_done()
    {
        _states.Counts = new Dictionary<string, long> { ["Planning"] = 1 };
        _states.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The store has not answered yet: nothing to report, and the collection returned regardless.
        Assert.Empty(Observe());

        _states.Gate.SetResult();
        await _metrics.RefreshAsync();
        Assert.Equal(new Dictionary<string, long> { ["Planning"] = 1 }, Observe());
    }

    [Fact]
    public async Task A_store_that_cannot_be_read_leaves_a_gap_rather_than_an_old_count()
    {
        _states.Counts = new Dictionary<string, long> { ["Executing"] = 4 };
        await _metrics.RefreshAsync();
        Assert.Equal(new Dictionary<string, long> { ["Executing"] = 4 }, Observe());
        _states.Failure = new InvalidOperationException("the database is down");
        _time.Advance(FeatureStateMetrics.MaxAge);

        await _metrics.RefreshAsync();

        Assert.Empty(Observe());
    }

    private Dictionary<string, long> Observe()
    {
        _features.Clear();
        _features.RecordObservableInstruments();
        return _features.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["state"]!, m => m.Value);
    }

    /// <summary>A state store that answers the count per state it is given, when its gate opens.</summary>
    private sealed class CountedStates : ISagaStateReader<FeatureState>
    {
        public IReadOnlyDictionary<string, long> Counts { get; set; } = new Dictionary<string, long>();

        public TaskCompletionSource? Gate { get; set; }

        public Exception? Failure { get; set; }

        public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(CancellationToken cancellationToken)
        {
            if (Gate is not null)
            {
                await Gate.Task.WaitAsync(cancellationToken);
            }

            return Failure is null ? Counts : throw Failure;
        }

        public Task<FeatureState?> FindAsync(Guid correlationId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<FeatureState>> ListAsync(SagaStateFilter filter, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
