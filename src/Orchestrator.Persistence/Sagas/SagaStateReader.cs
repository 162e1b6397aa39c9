using MassTransit;

namespace Orchestrator.Persistence.Sagas;

/// <summary>One session (one connection) per read.</summary>
internal sealed class SagaStateReader<TSaga>(SagaDocumentStore<TSaga> store) : ISagaStateReader<TSaga>
    where TSaga : class, ISagaVersion
{
    public async Task<TSaga?> FindAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenSessionAsync(cancellationToken);
        return await session.LoadAsync(correlationId, cancellationToken);
    }

    public async Task<IReadOnlyList<TSaga>> ListAsync(SagaStateFilter filter, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenSessionAsync(cancellationToken);
        return await session.LoadByStateAsync(filter, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var session = await store.OpenSessionAsync(cancellationToken);
        return await session.CountByStateAsync(cancellationToken);
    }
}
