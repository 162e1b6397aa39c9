namespace Orchestrator.Persistence.Tests;

/// <summary>Reading instances by state outside of messages: one query, filtered in SQL.</summary>
public abstract class SagaStateReaderContract : IAsyncLifetime
{
    protected TestStore Store { get; private set; } = null!;

    protected abstract TestStore CreateStore();

    public ValueTask InitializeAsync()
    {
        Store = CreateStore();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();

    async Task<(Guid Submitted, Guid Accepted, Guid Completed)> ThreeOrdersAsync(OrderSagaHost host)
    {
        var (submitted, accepted, completed) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        foreach (var (id, number) in new[] { (submitted, "S-1"), (accepted, "A-1"), (completed, "C-1") })
        {
            await host.Publish(new SubmitOrder(id, number, OrderPriority.Normal));
            await host.WaitForAsync(id, x => x.CurrentState == "Submitted");
        }

        await host.Publish(new AcceptOrder(accepted));
        await host.Publish(new AcceptOrder(completed));
        await host.WaitForAsync(completed, x => x.CurrentState == "Accepted");
        await host.Publish(new OrderShipped("C-1"));
        await host.WaitForAsync(completed, x => x.CurrentState == "Completed");
        await host.WaitForAsync(accepted, x => x.CurrentState == "Accepted");
        return (submitted, accepted, completed);
    }

    [Fact]
    public async Task Lists_the_instances_in_or_not_in_the_given_states_with_their_data()
    {
        await using var host = await OrderSagaHost.StartAsync(Store.ConnectionString);
        var (submitted, accepted, completed) = await ThreeOrdersAsync(host);
        var ct = TestContext.Current.CancellationToken;

        var active = await host.Reader.ListAsync(SagaStateFilter.NotIn("Completed"), ct);
        var done = await host.Reader.ListAsync(SagaStateFilter.In("Completed", "Archived"), ct);
        var all = await host.Reader.ListAsync(SagaStateFilter.All, ct);

        Assert.Equal(new[] { submitted, accepted }.Order(), active.Select(o => o.CorrelationId).Order());
        Assert.Equal("C-1", Assert.Single(done).OrderNumber);
        Assert.Equal(completed, done[0].CorrelationId);
        Assert.Equal(3, all.Count);
        Assert.Equal("A-1", (await host.Reader.FindAsync(accepted, ct))?.OrderNumber);
        Assert.Null(await host.Reader.FindAsync(Guid.NewGuid(), ct));
    }

    [Fact]
    public async Task Rows_outside_the_filter_are_never_read()
    {
        await using var host = await OrderSagaHost.StartAsync(Store.ConnectionString);
        var (submitted, _, completed) = await ThreeOrdersAsync(host);
        var ct = TestContext.Current.CancellationToken;
        await Store.CorruptAsync(completed);

        var active = await host.Reader.ListAsync(SagaStateFilter.NotIn("Completed"), ct);

        // Deserializing the corrupt row would throw: the filter kept it out of the query itself.
        Assert.Contains(active, o => o.CorrelationId == submitted);
        await Assert.ThrowsAsync<MassTransit.SagaException>(() => host.Reader.ListAsync(SagaStateFilter.All, ct));
    }

    [Fact]
    public async Task Counts_the_instances_in_each_state_from_the_state_column_alone()
    {
        await using var host = await OrderSagaHost.StartAsync(Store.ConnectionString);
        var (_, _, completed) = await ThreeOrdersAsync(host);
        var ct = TestContext.Current.CancellationToken;
        // A document that cannot be read is still counted: the count never deserializes one (the metrics read it often).
        await Store.CorruptAsync(completed);

        var counts = await host.Reader.CountByStateAsync(ct);

        Assert.Equal(new Dictionary<string, long> { ["Submitted"] = 1, ["Accepted"] = 1, ["Completed"] = 1 }, counts);
    }
}

public sealed class SqliteSagaStateReaderTests : SagaStateReaderContract
{
    protected override TestStore CreateStore() => new SqliteTestStore();
}

public sealed class PostgresSagaStateReaderTests : SagaStateReaderContract
{
    protected override TestStore CreateStore() => new PostgresTestStore();
}
