using System.Collections;
using System.Collections.Concurrent;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Orchestrator.EndToEnd.Tests.Security;

/// <summary>
/// Every message published on the broker's virtual host while it is open, through RabbitMQ's firehose: tracing on
/// (<c>rabbitmqctl trace_on</c>), a queue of our own bound to <c>amq.rabbitmq.trace</c>. Tracing is turned off again
/// when disposed: it copies every message, which the rest of the suite should not pay for.
/// </summary>
public sealed class BusTrace : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _messages = new();
    private IConnection? _connection;
    private readonly string _virtualHost;
    private IChannel? _channel;

    private BusTrace(string virtualHost)
    {
        _virtualHost = virtualHost;
    }

    /// <summary>Each traced message as text: routing key, headers (which hold the original message's properties) and body.</summary>
    public IReadOnlyList<string> Messages => [.. _messages];

    public static async Task<BusTrace> StartAsync(string connectionString, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(connectionString) };
        var trace = new BusTrace(string.IsNullOrEmpty(factory.VirtualHost) ? "/" : factory.VirtualHost);
        Ctl("trace_on", trace._virtualHost);
        try
        {
            trace._connection = await factory.CreateConnectionAsync("orchestrator-e2e-bus-trace", cancellationToken);
            trace._channel = await trace._connection.CreateChannelAsync(cancellationToken: cancellationToken);
            var queue = await trace._channel.QueueDeclareAsync(
                "", durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken);
            // "publish.<exchange>" for every message published, "deliver.<queue>" for every delivery.
            await trace._channel.QueueBindAsync(queue.QueueName, "amq.rabbitmq.trace", "#", cancellationToken: cancellationToken);
            var consumer = new AsyncEventingBasicConsumer(trace._channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                trace._messages.Enqueue(Describe(delivery));
                return Task.CompletedTask;
            };
            await trace._channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer, cancellationToken);
            return trace;
        }
        catch
        {
            await trace.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_channel is not null)
            {
                await _channel.CloseAsync();
                _channel.Dispose();
            }

            if (_connection is not null)
            {
                await _connection.CloseAsync();
                _connection.Dispose();
            }
        }
        finally
        {
            Ctl("trace_off", _virtualHost);
        }
    }

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

    private static void Ctl(string command, string virtualHost)
    {
        // rabbitmqctl changes to its own home; from / a deleted working folder cannot trouble it (as scripts/rabbitmq.sh does).
        var result = OrchestratorApp.Run("rabbitmqctl", ["-q", command, "-p", virtualHost], "/");
        Assert.True(result.ExitCode == 0, $"rabbitmqctl {command}: {result.Text}");
    }
}
