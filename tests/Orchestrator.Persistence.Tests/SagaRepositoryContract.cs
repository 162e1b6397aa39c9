using MassTransit;
using MassTransit.Saga;

namespace Orchestrator.Persistence.Tests;

/// <summary>
/// The repository under MassTransit's real saga pipeline (in-memory transport), the same contract for every store:
/// <see cref="SqliteSagaRepositoryTests"/> and <see cref="PostgresSagaRepositoryTests"/>.
/// </summary>
public abstract class SagaRepositoryContract : IAsyncLifetime
{
    protected TestStore Store { get; private set; } = null!;

    protected abstract TestStore CreateStore();

    public ValueTask InitializeAsync()
    {
        Store = CreateStore();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();

    [Fact]
    public async Task Instance_created_by_the_initial_event_survives_a_restart()
    {
        var orderId = Guid.NewGuid();

        await using (var first = await OrderSagaHost.StartAsync(Store.ConnectionString))
        {
            await first.Publish(new SubmitOrder(orderId, "A-100", OrderPriority.High));
            await first.WaitForAsync(orderId, x => x.CurrentState == "Submitted");
        }

        await using var second = await OrderSagaHost.StartAsync(Store.ConnectionString);

        var reloaded = await second.Loader.Load(orderId);
        Assert.NotNull(reloaded);
        Assert.Equal("Submitted", reloaded.CurrentState);
        Assert.Equal("A-100", reloaded.OrderNumber);
        Assert.Equal(OrderPriority.High, reloaded.Priority);
        Assert.Equal(1, reloaded.Version);

        // The restarted process carries on from the stored state, not from a fresh instance.
        await second.Publish(new AcceptOrder(orderId));
        var accepted = await second.WaitForAsync(orderId, x => x.CurrentState == "Accepted");
        Assert.Equal(2, accepted.Version);
        Assert.Equal("A-100", accepted.OrderNumber);
        Assert.False(second.AnyFaults());
    }

    [Fact]
    public async Task Later_events_update_state_data_and_version()
    {
        var orderId = Guid.NewGuid();
        await using var host = await OrderSagaHost.StartAsync(Store.ConnectionString);

        await host.Publish(new SubmitOrder(orderId, "B-200", OrderPriority.Normal));
        var submitted = await host.WaitForAsync(orderId, x => x.CurrentState == "Submitted");
        Assert.Equal(1, submitted.Version);

        await host.Publish(new AddItem(orderId, "apple"));
        await host.WaitForAsync(orderId, x => x.Version == 2);

        await host.Publish(new AddItem(orderId, "pear"));
        await host.WaitForAsync(orderId, x => x.Version == 3);

        await host.Publish(new AcceptOrder(orderId));
        var accepted = await host.WaitForAsync(orderId, x => x.CurrentState == "Accepted");

        Assert.Equal(4, accepted.Version);
        Assert.Equal(["apple", "pear"], accepted.Items);
        Assert.Equal(2, accepted.ItemCount);
        Assert.Equal("B-200", accepted.OrderNumber);

        Assert.Equal(("Accepted", 4L), await Store.RowAsync(orderId));
    }

    [Fact]
    public async Task Finalized_instance_is_removed_from_the_table()
    {
        var orderId = Guid.NewGuid();
        await using var host = await OrderSagaHost.StartAsync(Store.ConnectionString);

        await host.Publish(new SubmitOrder(orderId, "C-300", OrderPriority.Normal));
        await host.WaitForAsync(orderId, x => x.CurrentState == "Submitted");
        await host.Publish(new AcceptOrder(orderId));
        await host.WaitForAsync(orderId, x => x.CurrentState == "Accepted");
        await host.Publish(new OrderShipped("C-300"));
        await host.WaitForAsync(orderId, x => x.CurrentState == "Completed");

        await host.Publish(new ArchiveOrder(orderId));
        await host.WaitUntilGoneAsync(orderId);

        Assert.Equal(0L, await Store.CountAsync());
        Assert.False(host.AnyFaults());
    }

    [Fact]
    public async Task Concurrent_events_for_one_instance_are_all_applied_exactly_once()
    {
        const int Count = 20;
        var orderId = Guid.NewGuid();
        await using var host = await OrderSagaHost.StartAsync(Store.ConnectionString);

        await host.Publish(new SubmitOrder(orderId, "D-400", OrderPriority.Normal));
        await host.WaitForAsync(orderId, x => x.CurrentState == "Submitted");

        var items = Enumerable.Range(1, Count).Select(i => $"item-{i}").ToList();
        await Task.WhenAll(items.Select(item => host.Publish(new AddItem(orderId, item))));

        await host.WaitForAsync(orderId, x => x.ItemCount >= Count);
        await Eventually.TrueAsync(() => host.Harness.Consumed.ConsumedSoFar<AddItem>() >= Count, $"the saga to consume {Count} AddItem");

        var order = await host.Loader.Load(orderId);
        Assert.NotNull(order);
        Assert.Equal(Count, order.ItemCount);
        Assert.Equal(items.Order(), order.Items.Order());
        Assert.Equal(Count + 1, order.Version);

        // Proof that the messages really overlapped and the version check (not luck) kept every item.
        Assert.True(host.Conflicts > 0, "No concurrency conflict happened, so the test did not exercise optimistic concurrency.");
        Assert.False(host.AnyFaults());
    }

    [Fact]
    public async Task Concurrent_initial_events_create_one_instance_and_apply_every_event()
    {
        const int Count = 10;
        var orderId = Guid.NewGuid();
        await using var host = await OrderSagaHost.StartAsync(Store.ConnectionString);

        // Every message may create the order; all but one lose the insert race and must be applied to the winner.
        await Task.WhenAll(Enumerable.Range(1, Count).Select(i => host.Publish(new AddItem(orderId, $"item-{i}"))));

        await host.WaitForAsync(orderId, x => x.ItemCount >= Count);
        await Eventually.TrueAsync(() => host.Harness.Consumed.ConsumedSoFar<AddItem>() >= Count, $"the saga to consume {Count} AddItem");

        var order = await host.Loader.Load(orderId);
        Assert.NotNull(order);
        Assert.Equal("Submitted", order.CurrentState);
        Assert.Equal(Count, order.ItemCount);
        Assert.Equal(Count, order.Items.Distinct().Count());
        Assert.Equal(Count, order.Version);
        Assert.True(host.Conflicts > 0, "No insert race happened, so the test did not exercise the duplicate-insert path.");
        Assert.False(host.AnyFaults());
    }

    [Fact]
    public async Task Query_by_state_returns_the_matching_instances()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var third = Guid.NewGuid();
        await using var host = await OrderSagaHost.StartAsync(Store.ConnectionString);

        await host.Publish(new SubmitOrder(first, "E-1", OrderPriority.High));
        await host.Publish(new SubmitOrder(second, "E-2", OrderPriority.Normal));
        await host.Publish(new SubmitOrder(third, "E-3", OrderPriority.High));
        foreach (var id in new[] { first, second, third })
        {
            await host.WaitForAsync(id, x => x.CurrentState == "Submitted");
        }

        await host.Publish(new AcceptOrder(first));
        await host.Publish(new AcceptOrder(second));
        await host.WaitForAsync(first, x => x.CurrentState == "Accepted");
        await host.WaitForAsync(second, x => x.CurrentState == "Accepted");

        var accepted = await host.Finder.Find(new SagaQuery<OrderState>(x => x.CurrentState == "Accepted"));
        Assert.Equal(new[] { first, second }.Order(), accepted.Order());

        var submitted = await host.Finder.Find(new SagaQuery<OrderState>(x => x.CurrentState == "Submitted"));
        Assert.Equal([third], submitted);

        var highPriority = await host.Finder.Find(new SagaQuery<OrderState>(x => x.Priority == OrderPriority.High));
        Assert.Equal(new[] { first, third }.Order(), highPriority.Order());

        Assert.Empty(await host.Finder.Find(new SagaQuery<OrderState>(x => x.CurrentState == "Completed")));
    }

    [Fact]
    public async Task Event_correlated_by_expression_reaches_only_the_matching_instance()
    {
        var shipped = Guid.NewGuid();
        var other = Guid.NewGuid();
        await using var host = await OrderSagaHost.StartAsync(Store.ConnectionString);

        await host.Publish(new SubmitOrder(shipped, "F-1", OrderPriority.Normal));
        await host.Publish(new SubmitOrder(other, "F-2", OrderPriority.Normal));
        await host.WaitForAsync(shipped, x => x.CurrentState == "Submitted");
        await host.WaitForAsync(other, x => x.CurrentState == "Submitted");
        await host.Publish(new AcceptOrder(shipped));
        await host.Publish(new AcceptOrder(other));
        await host.WaitForAsync(shipped, x => x.CurrentState == "Accepted");
        var otherBefore = await host.WaitForAsync(other, x => x.CurrentState == "Accepted");

        await host.Publish(new OrderShipped("F-1"));

        var completed = await host.WaitForAsync(shipped, x => x.CurrentState == "Completed");
        Assert.Equal(3, completed.Version);
        await Eventually.TrueAsync(() => host.Harness.Consumed.ConsumedSoFar<OrderShipped>() >= 1, "the saga to consume OrderShipped");

        var otherAfter = await host.Loader.Load(other);
        Assert.NotNull(otherAfter);
        Assert.Equal("Accepted", otherAfter.CurrentState);
        Assert.Equal(otherBefore.Version, otherAfter.Version);
        Assert.False(host.AnyFaults());
    }

    [Fact]
    public async Task Two_orchestrator_instances_on_one_store_lose_no_update()
    {
        const int PerInstance = 10;
        var orderId = Guid.NewGuid();
        await using var first = await OrderSagaHost.StartAsync(Store.ConnectionString);
        await using var second = await OrderSagaHost.StartAsync(Store.ConnectionString);
        await first.Publish(new SubmitOrder(orderId, "E-500", OrderPriority.Normal));
        await first.WaitForAsync(orderId, x => x.CurrentState == "Submitted");

        // Each instance has its own bus: both write the same row at once, and only the version check keeps them apart.
        await Task.WhenAll(Enumerable.Range(1, PerInstance).SelectMany(i => new[]
        {
            first.Publish(new AddItem(orderId, $"first-{i}")),
            second.Publish(new AddItem(orderId, $"second-{i}")),
        }));

        var order = await first.WaitForAsync(orderId, x => x.ItemCount >= 2 * PerInstance);
        Assert.Equal(2 * PerInstance, order.Items.Distinct().Count());
        Assert.Equal(2 * PerInstance + 1, order.Version);
        Assert.False(first.AnyFaults() || second.AnyFaults());
    }
}

public sealed class SqliteSagaRepositoryTests : SagaRepositoryContract
{
    protected override TestStore CreateStore() => new SqliteTestStore();
}

public sealed class PostgresSagaRepositoryTests : SagaRepositoryContract
{
    protected override TestStore CreateStore() => new PostgresTestStore();
}
