using Orchestrator.Persistence;
using Orchestrator.StateMachines;

namespace Orchestrator.Features;

/// <summary>Reads feature saga instances from the state store, for the HTTP API, the deadline monitor and the metrics.</summary>
public sealed class FeatureReader(ISagaStateReader<FeatureState> states)
{
    public Task<FeatureState?> FindAsync(Guid featureId, CancellationToken cancellationToken) =>
        states.FindAsync(featureId, cancellationToken);

    public Task<IReadOnlyList<FeatureState>> ListAllAsync(CancellationToken cancellationToken) =>
        states.ListAsync(SagaStateFilter.All, cancellationToken);

    /// <summary>Features that have not ended; only those rows are read.</summary>
    public Task<IReadOnlyList<FeatureState>> ListActiveAsync(CancellationToken cancellationToken) =>
        states.ListAsync(SagaStateFilter.NotIn(FeatureStateMachine.FinalStates), cancellationToken);

    /// <summary>How many features are in each state; counted in SQL, no feature is read.</summary>
    public Task<IReadOnlyDictionary<string, long>> CountByStateAsync(CancellationToken cancellationToken) =>
        states.CountByStateAsync(cancellationToken);
}
