using MassTransit;
using MassTransit.Saga;

namespace Orchestrator.Persistence.Tests;

/// <summary>The repository under MassTransit's real saga pipeline (in-memory transport, SQLite file).</summary>
public sealed class SqliteSagaRepositoryTests : IDisposable
{
    readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Instance_created_by_the_initial_event_survives_a_restart()
    {
        var orderId = Guid.NewGuid();

        await using (var first = await OrderSagaHost.StartAsync(_database.ConnectionString))
        {
            await first.Publish(new SubmitOrder(orderId, "A-100", OrderPriority.High));
            await first.WaitForAsync(orderId, x => x.CurrentState == "Submitted");
        }

        await using var second = await OrderSagaHost.StartAsync(_database.ConnectionString);

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
        await using var host = await OrderSagaHost.StartAsync(_database.ConnectionString);

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

        using var raw = _database.OpenRaw();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT current_state, version FROM sagas WHERE correlation_id = $id;";
        command.Parameters.AddWithValue("$id", orderId.ToString("D"));
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("Accepted", reader.GetString(0));
        Assert.Equal(4, reader.GetInt32(1));
    }

    [Fact]
    public async Task Finalized_instance_is_removed_from_the_table()
    {
        var orderId = Guid.NewGuid();
        await using var host = await OrderSagaHost.StartAsync(_database.ConnectionString);

        await host.Publish(new SubmitOrder(orderId, "C-300", OrderPriority.Normal));
        await host.WaitForAsync(orderId, x => x.CurrentState == "Submitted");
        await host.Publish(new AcceptOrder(orderId));
        await host.WaitForAsync(orderId, x => x.CurrentState == "Accepted");
        await host.Publish(new OrderShipped("C-300"));
        await host.WaitForAsync(orderId, x => x.CurrentState == "Completed");

        await host.Publish(new ArchiveOrder(orderId));
        await host.WaitUntilGoneAsync(orderId);

        using var raw = _database.OpenRaw();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sagas;";
        Assert.Equal(0L, (long)command.ExecuteScalar()!);
        Assert.False(host.AnyFaults());
    }

    [Fact]
    public async Task Concurrent_events_for_one_instance_are_all_applied_exactly_once()
    {
        const int Count = 20;
        var orderId = Guid.NewGuid();
        await using var host = await OrderSagaHost.StartAsync(_database.ConnectionString);

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
        await using var host = await OrderSagaHost.StartAsync(_database.ConnectionString);

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
        await using var host = await OrderSagaHost.StartAsync(_database.ConnectionString);

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
        await using var host = await OrderSagaHost.StartAsync(_database.ConnectionString);

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
}
