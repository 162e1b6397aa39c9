using System.Collections;
using System.Collections.Concurrent;
using System.Text;
using RabbitMQ.Client.Events;

namespace Orchestrator.EndToEnd.Tests.Security;

/// <summary>
/// Every message published on the broker's virtual host while it is open, and every delivery, read off RabbitMQ's
/// firehose (<see cref="Firehose"/>).
/// </summary>
public sealed class BusTrace : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _messages = new();
    private Firehose? _firehose;

    /// <summary>Each traced message as text: routing key, headers (which hold the original message's properties) and body.</summary>
    public IReadOnlyList<string> Messages => [.. _messages];

    public static async Task<BusTrace> StartAsync(string connectionString, CancellationToken cancellationToken)
    {
        var trace = new BusTrace();
        trace._firehose = await Firehose.StartAsync(connectionString, Firehose.Everything, delivery =>
        {
            trace._messages.Enqueue(Describe(delivery));
            return Task.CompletedTask;
        }, cancellationToken);
        return trace;
    }

    public ValueTask DisposeAsync() => _firehose?.DisposeAsync() ?? ValueTask.CompletedTask;

    // The body is owned by the client only during the handler: it is copied out as text here.
    private static string Describe(BasicDeliverEventArgs delivery)
    {
        var text = new StringBuilder(delivery.RoutingKey).Append('\n');
        foreach (var (name, value) in delivery.BasicProperties.Headers ?? new Dictionary<string, object?>())
        {
            text.Append(name).Append(": ").Append(TextOf(value)).Append('\n');
        }

        return text.Append(Encoding.UTF8.GetString(delivery.Body.Span)).ToString();
    }

    // Header values arrive as byte arrays (AMQP long strings), tables and arrays of them.
    private static string TextOf(object? value) => value switch
    {
        null => "",
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        IDictionary<string, object?> table => string.Join(", ", table.Select(entry => $"{entry.Key}={TextOf(entry.Value)}")),
        IEnumerable items and not string => string.Join(", ", items.Cast<object?>().Select(TextOf)),
        _ => value.ToString() ?? "",
    };
}
