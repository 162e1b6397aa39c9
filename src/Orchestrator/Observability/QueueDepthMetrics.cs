using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Orchestrator.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Orchestrator.Observability;

/// <summary>
/// The <c>orchestrator.queue.depth</c> gauge: messages waiting in each command queue and its <c>_error</c> queue, asked
/// of the broker (passive declares on the orchestrator's own connection, Aspire.RabbitMQ.Client) at most every
/// <see cref="MaxAge"/>. A queue that does not exist yet is left out, not an error.
/// </summary>
public sealed class QueueDepthMetrics
{
    public const string MeterName = "Orchestrator";
    public const string QueueDepthName = "orchestrator.queue.depth";
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private const ushort NotFound = 404;
    private static readonly string[] CommandQueues = [Queues.Planner, Queues.Coder, Queues.Tester, Queues.Docs, Queues.Merge, Queues.MergePrepare];
    private static readonly IReadOnlyDictionary<string, long> None = new Dictionary<string, long>();

    private readonly Func<IConnection> _connection;
    private readonly IReadOnlyList<string> _queues;
    private readonly CachedReading<IReadOnlyDictionary<string, long>> _depths;

    /// <param name="connection">Resolved at the first reading, so the gauge never holds up the service's start.</param>
    /// <param name="queues">The queues to watch; <see cref="WatchedQueues"/> when null.</param>
    public QueueDepthMetrics(
        IMeterFactory meters, Func<IConnection> connection, TimeProvider time, ILogger<QueueDepthMetrics> logger, IReadOnlyList<string>? queues = null)
    {
        _connection = connection;
        _queues = queues ?? WatchedQueues;
        _depths = new(ReadAsync, None, MaxAge, time, logger, "the queue depths");
        meters.Create(MeterName).CreateObservableGauge(
            QueueDepthName, Observe, unit: "{message}", description: "Messages ready in each command queue and its _error queue.");
    }

    /// <summary>The queues watched: every command queue, then each one's <c>_error</c> queue.</summary>
    public static IReadOnlyList<string> WatchedQueues { get; } = [.. CommandQueues, .. CommandQueues.Select(q => $"{q}_error")];

    /// <summary>Reads the depths now (the gauge otherwise reads them in the background when collected).</summary>
    public Task RefreshAsync() => _depths.RefreshAsync();

    private IEnumerable<Measurement<long>> Observe() =>
        _depths.Current.Select(depth => new Measurement<long>(depth.Value, new KeyValuePair<string, object?>("queue", depth.Key)));

    private async Task<IReadOnlyDictionary<string, long>> ReadAsync(CancellationToken cancellationToken)
    {
        var connection = _connection();
        var depths = new Dictionary<string, long>(StringComparer.Ordinal);
        IChannel? channel = null;
        try
        {
            foreach (var queue in _queues)
            {
                channel ??= await connection.CreateChannelAsync(cancellationToken: cancellationToken);
                try
                {
                    depths[queue] = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
                }
                catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == NotFound)
                {
                    // The broker closes the channel on a missing queue: the next one needs a fresh channel.
                    await channel.DisposeAsync();
                    channel = null;
                }
            }
        }
        finally
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }
        }

        return depths;
    }
}
