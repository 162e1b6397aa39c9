using MassTransit;
using MassTransit.Middleware;
using MassTransit.Saga;

namespace Orchestrator.Persistence.Sagas;

/// <summary>Backs <see cref="ILoadSagaRepository{TSaga}"/> and <see cref="IQuerySagaRepository{TSaga}"/>: reads outside any message.</summary>
internal sealed class DocumentSagaReadContext<TSaga>(SagaDocumentSession<TSaga> session, CancellationToken cancellationToken)
    : BasePipeContext(cancellationToken), LoadSagaRepositoryContext<TSaga>, QuerySagaRepositoryContext<TSaga>
    where TSaga : class, ISagaVersion
{
    public async Task<TSaga> Load(Guid correlationId) =>
        (await session.LoadAsync(correlationId, CancellationToken))!;

    public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken)
    {
        var matches = await DocumentSagaRepositoryContextFactory<TSaga>.FindAsync(session, query, cancellationToken);
        return new DefaultSagaRepositoryQueryContext<TSaga>(this, matches.Select(x => x.CorrelationId).ToList());
    }
}
