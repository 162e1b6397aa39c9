using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Tests.Support;

namespace Orchestrator.Persistence.Tests;

/// <summary>
/// One "process": a service provider with MassTransit's in-memory test harness and the order saga on a document
/// repository. Disposing it stops the bus, so a second host on the same file is a restart.
/// </summary>
internal sealed class OrderSagaHost : IAsyncDisposable
{
    static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    readonly ServiceProvider _provider;
    readonly ConflictCounter _conflicts;

    OrderSagaHost(ServiceProvider provider, ConflictCounter conflicts)
    {
        _provider = provider;
        _conflicts = conflicts;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }

    /// <summary>How many times a message failed with <see cref="ConcurrencyException"/> and was retried.</summary>
    public int Conflicts => _conflicts.Count;

    public ILoadSagaRepository<OrderState> Loader => _provider.GetRequiredService<ILoadSagaRepository<OrderState>>();

    public IQuerySagaRepository<OrderState> Finder => _provider.GetRequiredService<IQuerySagaRepository<OrderState>>();

    public ISagaStateReader<OrderState> Reader => _provider.GetRequiredService<ISagaStateReader<OrderState>>();

    public static async Task<OrderSagaHost> StartAsync(string connectionString)
    {
        var conflicts = new ConflictCounter();
        var services = new ServiceCollection();
        // The harness's bus log would flood the test output; the assertions say what went wrong.
        services.AddMassTransitTestHarness(TextWriter.Null, x =>
        {
            x.DisableUsageTelemetry();
            x.AddSagaStateMachine<OrderStateMachine, OrderState>().DocumentRepository(connectionString);
            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                // Let many messages for one order run at once, so optimistic concurrency is what keeps them apart.
                endpoint.PrefetchCount = 32;
                endpoint.ConcurrentMessageLimit = 32;

                // Only conflicts are retried: any other failure surfaces as a fault instead of being hidden.
                endpoint.UseMessageRetry(r =>
                {
                    r.Handle<ConcurrencyException>(_ => conflicts.Increment());
                    r.Immediate(100);
                });
                endpoint.UseInMemoryOutbox(context);
            });
        });

        var provider = services.BuildServiceProvider(validateScopes: true);
        var host = new OrderSagaHost(provider, conflicts);
        await host.Harness.Start();
        return host;
    }

    public Task Publish<T>(T message)
        where T : class =>
        Harness.Bus.Publish(message, TestContext.Current.CancellationToken);

    /// <summary>Reads the stored instance until it satisfies <paramref name="condition"/>; fails after a timeout.</summary>
    public async Task<OrderState> WaitForAsync(Guid orderId, Func<OrderState, bool> condition, TimeSpan? timeout = null)
    {
        OrderState? last = null;
        var found = await Eventually.TrueAsync(async () =>
        {
            last = await Loader.Load(orderId);
            return last is not null && condition(last);
        }, timeout ?? DefaultWait);

        Assert.True(found, $"Order {orderId} did not reach the expected state; last read: state={last?.CurrentState ?? "(none)"}, version={last?.Version}, items={last?.ItemCount}.");
        return last!;
    }

    public async Task WaitUntilGoneAsync(Guid orderId)
    {
        var gone = await Eventually.TrueAsync(async () => await Loader.Load(orderId) is null, DefaultWait);
        Assert.True(gone, $"Order {orderId} was not removed.");
    }

    public bool AnyFaults() => Harness.PublishedSoFar<Fault>().Count > 0;

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    sealed class ConflictCounter
    {
        int _count;

        public int Count => Volatile.Read(ref _count);

        public bool Increment()
        {
            Interlocked.Increment(ref _count);
            return true;
        }
    }
}
