using MassTransit;
using MassTransit.Saga;
using Orchestrator.Persistence;
using Orchestrator.StateMachines;

namespace Orchestrator.Tests.Support;

/// <summary>
/// <see cref="ISagaStateReader{TSaga}"/> over MassTransit's in-memory saga repository, which the saga specs use (the
/// SQLite reader, which filters in SQL, is covered by Orchestrator.Persistence.Tests).
/// </summary>
internal sealed class InMemoryFeatureStates(ILoadSagaRepository<FeatureState> load, IQuerySagaRepository<FeatureState> query)
    : ISagaStateReader<FeatureState>
{
    public async Task<FeatureState?> FindAsync(Guid correlationId, CancellationToken cancellationToken) => await load.Load(correlationId);

    public async Task<IReadOnlyList<FeatureState>> ListAsync(SagaStateFilter filter, CancellationToken cancellationToken)
    {
        var ids = await query.Find(new SagaQuery<FeatureState>(f =>
            (filter.InStates == null || filter.InStates.Contains(f.CurrentState))
            && (filter.NotInStates == null || !filter.NotInStates.Contains(f.CurrentState))));
        var features = new List<FeatureState>();
        foreach (var id in ids)
        {
            if (await load.Load(id) is { } feature)
            {
                features.Add(feature);
            }
        }

        return features;
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(CancellationToken cancellationToken) =>
        (await ListAsync(SagaStateFilter.All, cancellationToken))
            .GroupBy(f => f.CurrentState ?? string.Empty)
            .ToDictionary(g => g.Key, g => (long)g.Count());
}
