using MassTransit;
using MassTransit.Saga;

namespace Orchestrator.Persistence.Sagas;

/// <summary>
/// The repository as MassTransit sees it: MassTransit's saga pipeline resolves this (scoped) for every message and
/// for every <see cref="ILoadSagaRepository{TSaga}"/>/<see cref="IQuerySagaRepository{TSaga}"/> call.
/// </summary>
internal sealed class DocumentSagaRepositoryContextFactory<TSaga>(
    SagaDocumentStore<TSaga> store,
    ISagaConsumeContextFactory<SagaDocumentSession<TSaga>, TSaga> factory)
    : ISagaRepositoryContextFactory<TSaga>, IQuerySagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISagaVersion
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        await using var session = await store.OpenSessionAsync(context.CancellationToken);
        var repositoryContext = new DocumentSagaRepositoryContext<TSaga, T>(session, context, factory);

        await next.Send(repositoryContext);
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        await using var session = await store.OpenSessionAsync(context.CancellationToken);
        var matches = await FindAsync(session, query, context.CancellationToken);
        var repositoryContext = new DocumentSagaRepositoryContext<TSaga, T>(session, context, factory);

        // The matches are already loaded (with their versions), so MassTransit uses them without reading again.
        await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, matches));
    }

    public async Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class
    {
        await using var session = await store.OpenSessionAsync(cancellationToken);
        return await asyncMethod(new DocumentSagaReadContext<TSaga>(session, cancellationToken));
    }

    public async Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class
    {
        await using var session = await store.OpenSessionAsync(cancellationToken);
        return await asyncMethod(new DocumentSagaReadContext<TSaga>(session, cancellationToken));
    }

    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "sqlite");
        context.Add("sagaType", store.SagaTypeName);
    }

    /// <summary>
    /// Runs a correlation expression. The documents are JSON, so the expression cannot become SQL: every row of
    /// this saga type is read and filtered with the compiled expression. At this project's scale (features in the
    /// hundreds, not millions) that is a few milliseconds; a dialect with JSON indexing can replace it later.
    /// </summary>
    internal static async Task<IReadOnlyList<TSaga>> FindAsync(SagaDocumentSession<TSaga> session, ISagaQuery<TSaga> query, CancellationToken cancellationToken)
    {
        var filter = query.GetFilter();
        var all = await session.LoadAllAsync(cancellationToken);
        return all.Where(filter).ToList();
    }
}
