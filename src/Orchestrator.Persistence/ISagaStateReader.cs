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

    /// <summary>How many instances are in each state, counted in SQL (no document is read); a state without instances is absent.</summary>
    Task<IReadOnlyDictionary<string, long>> CountByStateAsync(CancellationToken cancellationToken);
}
