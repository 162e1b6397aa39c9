using System.Linq.Expressions;
using MassTransit;
using MassTransit.Saga;

namespace Orchestrator.Features;

/// <summary>Reads feature saga instances from the state store, for the HTTP API and the deadline monitor.</summary>
public sealed class FeatureReader(ILoadSagaRepository<FeatureState> load, IQuerySagaRepository<FeatureState> query)
{
    public async Task<FeatureState?> FindAsync(Guid featureId, CancellationToken cancellationToken) =>
        await load.Load(featureId);

    /// <summary>The features matching <paramref name="filter"/>; only those are loaded.</summary>
    public async Task<IReadOnlyList<FeatureState>> ListAsync(Expression<Func<FeatureState, bool>>? filter, CancellationToken cancellationToken)
    {
        var ids = await query.Find(new SagaQuery<FeatureState>(filter ?? (_ => true)));
        var features = new List<FeatureState>();
        foreach (var id in ids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await load.Load(id) is { } feature)
            {
                features.Add(feature);
            }
        }

        return features;
    }
}
