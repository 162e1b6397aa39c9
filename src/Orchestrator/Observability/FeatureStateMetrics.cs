using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Orchestrator.Features;

namespace Orchestrator.Observability;

/// <summary>
/// The <c>orchestrator.features</c> gauge: how many features are in each state, from a grouped count in the state
/// store (SQLite or PostgreSQL) at most every <see cref="MaxAge"/>.
/// </summary>
public sealed class FeatureStateMetrics
{
    public const string MeterName = "Orchestrator";
    public const string FeaturesName = "orchestrator.features";
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly CachedReading<IReadOnlyDictionary<string, long>?> _counts;
    private readonly HashSet<string> _statesSeen = new(StringComparer.Ordinal);

    public FeatureStateMetrics(IMeterFactory meters, FeatureReader features, TimeProvider time, ILogger<FeatureStateMetrics> logger)
    {
        // No reading (none yet, or the store failed) is null: nothing is reported, rather than a zero for every state.
        _counts = new(async ct => await features.CountByStateAsync(ct), null, MaxAge, time, logger, "the features by state");
        meters.Create(MeterName).CreateObservableGauge(
            FeaturesName, Observe, unit: "{feature}", description: "Features in each state (Planning, Executing, Completed, ...).");
    }

    /// <summary>Reads the counts now (the gauge otherwise reads them in the background when collected).</summary>
    public Task RefreshAsync() => _counts.RefreshAsync();

    private IEnumerable<Measurement<long>> Observe()
    {
        if (_counts.Current is not { } counts)
        {
            return [];
        }

        // A state every feature has left reports 0 instead of disappearing with its last count.
        lock (_statesSeen)
        {
            _statesSeen.UnionWith(counts.Keys);
            return _statesSeen.Select(state => new Measurement<long>(counts.GetValueOrDefault(state), new KeyValuePair<string, object?>("state", state))).ToList();
        }
    }
}
