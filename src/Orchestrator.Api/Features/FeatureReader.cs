using MassTransit;
using MassTransit.Saga;

namespace Orchestrator.Api.Features;

/// <summary>Reads feature saga instances from the state store, for the HTTP API and the deadline monitor.</summary>
public sealed class FeatureReader(ILoadSagaRepository<FeatureState> load, IQuerySagaRepository<FeatureState> query)
{
    public async Task<FeatureState?> FindAsync(Guid featureId, CancellationToken cancellationToken) =>
        await load.Load(featureId);

    public async Task<IReadOnlyList<FeatureState>> ListAsync(Func<FeatureState, bool>? filter, CancellationToken cancellationToken)
    {
        var ids = await query.Find(new SagaQuery<FeatureState>(_ => true));
        var features = new List<FeatureState>();
        foreach (var id in ids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await load.Load(id) is { } feature && (filter is null || filter(feature)))
            {
                features.Add(feature);
            }
        }

        return features;
    }
}
