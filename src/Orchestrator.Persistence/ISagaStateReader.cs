using MassTransit;

namespace Orchestrator.Persistence;

/// <summary>
/// Reads saga instances outside of messages, for APIs and monitors: one query that returns the documents asked for
/// (filtered in SQL on the indexed state), instead of MassTransit's find-ids-then-load-each.
/// </summary>
public interface ISagaStateReader<TSaga>
    where TSaga : class, ISagaVersion
{
    Task<TSaga?> FindAsync(Guid correlationId, CancellationToken cancellationToken);

    Task<IReadOnlyList<TSaga>> ListAsync(SagaStateFilter filter, CancellationToken cancellationToken);
}
