using MassTransit;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Messaging;

/// <summary>
/// Tells the orchestrator, while one long piece of work runs (a task attempt, a consolidation), that the instance doing
/// it is alive: a "started" message at once, then a heartbeat every interval until disposed. It publishes straight to
/// the bus, never through the consumer's in-memory outbox, which would hold every message until the work has ended.
/// A publish that fails (the broker away for a moment) is logged and the next tick tries again: reporting liveness
/// must never fail the work it reports on.
/// </summary>
public sealed partial class Heartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _beating;

    private Heartbeat(Func<CancellationToken, Task> beat) => _beating = beat(_stop.Token);

    /// <summary>
    /// Publishes <paramref name="started"/> now and <paramref name="beat"/>(now) every <paramref name="interval"/>, in
    /// the background; nothing at all when <paramref name="interval"/> is null (the sender of the work watches none).
    /// </summary>
    /// <param name="bus">The bus itself (<see cref="IBus"/> from DI), not a consume context.</param>
    public static Heartbeat Start<TStarted, TBeat>(
        IBus bus, TStarted started, Func<DateTimeOffset, TBeat> beat, TimeSpan? interval, TimeProvider time, ILogger logger)
        where TStarted : class
        where TBeat : class
    {
        if (interval is not { } period || period <= TimeSpan.Zero)
        {
            return new Heartbeat(_ => Task.CompletedTask);
        }

        return new Heartbeat(async stop =>
        {
            // Off the caller's thread at once: the work starts without waiting for the broker.
            await Task.Yield();
            await PublishAsync(bus, started, logger, stop);
            using var timer = new PeriodicTimer(period, time);
            while (await timer.WaitForNextTickAsync(stop))
            {
                await PublishAsync(bus, beat(time.GetUtcNow()), logger, stop);
            }
        });
    }

    /// <summary>The instance name liveness messages carry: <c>&lt;service&gt;@&lt;machine&gt;/&lt;process id&gt;</c>.</summary>
    public static string InstanceOf(string service) => $"{service}@{Environment.MachineName}/{Environment.ProcessId}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _beating;
        }
        catch (OperationCanceledException)
        {
            // Stopped, as asked.
        }

        _stop.Dispose();
    }

    private static async Task PublishAsync<T>(IBus bus, T message, ILogger logger, CancellationToken stop)
        where T : class
    {
        try
        {
            await bus.Publish(message, stop);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPublishFailed(logger, ex, typeof(T).Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Message}; the next heartbeat tries again")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string message);
}
