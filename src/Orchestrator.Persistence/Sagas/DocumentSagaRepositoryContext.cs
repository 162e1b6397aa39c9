using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;

namespace Orchestrator.Persistence.Sagas;

/// <summary>
/// MassTransit's per-message view of the repository. MassTransit's own pipes decide the order of calls
/// (SendSagaPipe: Insert? → Load → Update/Delete; MissingSagaPipe: Add → Save/Discard); this class maps each call
/// onto the document session.
/// </summary>
internal sealed class DocumentSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISagaVersion
    where TMessage : class
{
    readonly SagaDocumentSession<TSaga> _session;
    readonly ConsumeContext<TMessage> _consumeContext;
    readonly ISagaConsumeContextFactory<SagaDocumentSession<TSaga>, TSaga> _factory;

    // A classic constructor: the incoming context is both the base scope and the context handed to saga contexts,
    // which a primary constructor would capture twice.
    public DocumentSagaRepositoryContext(
        SagaDocumentSession<TSaga> session,
        ConsumeContext<TMessage> consumeContext,
        ISagaConsumeContextFactory<SagaDocumentSession<TSaga>, TSaga> factory)
        : base(consumeContext)
    {
        _session = session;
        _consumeContext = consumeContext;
        _factory = factory;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_session, _consumeContext, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        // Only used when a state machine asks for InsertOnInitial. Returning null on a duplicate is the contract:
        // MassTransit then loads the existing instance and applies the message to it.
        if (!await _session.TryInsertAsync(instance, CancellationToken))
        {
            return null!;
        }

        return await _factory.CreateSagaConsumeContext(_session, _consumeContext, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await _session.LoadAsync(correlationId, CancellationToken);
        if (instance is null)
        {
            // MassTransit's contract for "no such instance" is a null context (the policy then decides Missing).
            return null!;
        }

        return await _factory.CreateSagaConsumeContext(_session, _consumeContext, instance, SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<TSaga> context) => _session.InsertAsync(context.Saga, CancellationToken);

    public Task Update(SagaConsumeContext<TSaga> context) => _session.UpdateAsync(context.Saga, CancellationToken);

    public Task Delete(SagaConsumeContext<TSaga> context) => _session.DeleteAsync(context.Saga, CancellationToken);

    // Nothing was written for a discarded new instance, and nothing is pending for an undone one: every write is
    // immediate and version-checked, so there is no unit of work to roll back.
    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> context, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_session, context, instance, mode);
}
