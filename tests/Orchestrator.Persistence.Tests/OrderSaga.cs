using MassTransit;

namespace Orchestrator.Persistence.Tests;

public enum OrderPriority
{
    Normal,
    High,
}

public sealed record SubmitOrder(Guid OrderId, string OrderNumber, OrderPriority Priority);

/// <summary>Accepted in every open state, including before the order exists, so it can also create the order.</summary>
public sealed record AddItem(Guid OrderId, string Item);

public sealed record AcceptOrder(Guid OrderId);

/// <summary>Carries no id: correlated by expression on <see cref="OrderState.OrderNumber"/>.</summary>
public sealed record OrderShipped(string OrderNumber);

public sealed record ArchiveOrder(Guid OrderId);

public sealed class OrderState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }

    public int Version { get; set; }

    public string? CurrentState { get; set; }

    public string? OrderNumber { get; set; }

    public OrderPriority Priority { get; set; }

    public int ItemCount { get; set; }

    public List<string> Items { get; set; } = [];
}

/// <summary>Submitted → Accepted → Completed → (archived: finalized and removed).</summary>
public sealed class OrderStateMachine : MassTransitStateMachine<OrderState>
{
    public OrderStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Submit, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => ItemAdded, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => AcceptEvent, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => Shipped, e => e.CorrelateBy((order, m) => order.OrderNumber == m.Message.OrderNumber));
        Event(() => Archive, e => e.CorrelateById(m => m.Message.OrderId));

        Initially(
            When(Submit)
                .Then(x =>
                {
                    x.Saga.OrderNumber = x.Message.OrderNumber;
                    x.Saga.Priority = x.Message.Priority;
                })
                .TransitionTo(Submitted),
            When(ItemAdded)
                .ThenAsync(AddItemAsync)
                .TransitionTo(Submitted));

        During(Submitted,
            When(ItemAdded).ThenAsync(AddItemAsync),
            When(AcceptEvent).TransitionTo(Accepted));

        During(Accepted,
            When(ItemAdded).ThenAsync(AddItemAsync),
            When(Shipped).TransitionTo(Completed));

        During(Completed,
            When(Archive).Finalize());

        SetCompletedWhenFinalized();
    }

    public State Submitted { get; private set; } = null!;

    public State Accepted { get; private set; } = null!;

    public State Completed { get; private set; } = null!;

    public Event<SubmitOrder> Submit { get; private set; } = null!;

    public Event<AddItem> ItemAdded { get; private set; } = null!;

    public Event<AcceptOrder> AcceptEvent { get; private set; } = null!;

    public Event<OrderShipped> Shipped { get; private set; } = null!;

    public Event<ArchiveOrder> Archive { get; private set; } = null!;

    static async Task AddItemAsync(BehaviorContext<OrderState, AddItem> context)
    {
        // Widens the read-modify-write window so concurrent messages for one order really overlap in the tests.
        await Task.Delay(10);
        context.Saga.Items.Add(context.Message.Item);
        context.Saga.ItemCount++;
    }
}
