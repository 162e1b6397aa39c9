using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Orchestrator.EndToEnd.Tests.Faults;

/// <summary>
/// Delivers what the system publishes again, as a broker redelivers a message whose acknowledgement was lost: each
/// message published on the virtual host is read off the firehose and published once more (or as many times as asked)
/// to the same exchange, with the same routing key, properties, headers and body — so with the same MessageId, and
/// to every queue the first one reached. Moves to <c>_error</c> and <c>_skipped</c> are not copied.
/// </summary>
public sealed partial class BusDuplicator : IAsyncDisposable
{
    private readonly Func<string, int> _copiesOf;
    private readonly Channel<TracedMessage> _traced = Channel.CreateUnbounded<TracedMessage>(new UnboundedChannelOptions { SingleReader = true });
    // Our own copies come back through the firehose: a message id is copied the first time only.
    private readonly ConcurrentDictionary<string, byte> _copied = new();
    private readonly ConcurrentDictionary<string, int> _injectedByType = new();
    private Firehose? _firehose;
    private IConnection? _connection;
    private IChannel? _publisher;
    private Task? _pump;
    private bool _disposed;

    private BusDuplicator(Func<string, int> copiesOf)
    {
        _copiesOf = copiesOf;
    }

    private sealed record TracedMessage(string Exchange, string RoutingKey, BasicProperties Properties, byte[] Body, string Type);

    /// <summary>Copies published so far, by message type (<c>TaskCompleted</c>, <c>Fault&lt;PlanFeature&gt;</c>, ...).</summary>
    public IReadOnlyDictionary<string, int> InjectedByType => _injectedByType.ToDictionary();

    /// <summary>What the table says was injected: copies and the message types they were of.</summary>
    public string Summary => $"{_injectedByType.Values.Sum()} copies, {_injectedByType.Count} types";

    /// <summary>
    /// Starts copying. <paramref name="copiesOf"/> says how many copies a message of a type gets (0: none); the copies of
    /// one message are published at once.
    /// </summary>
    public static async Task<BusDuplicator> StartAsync(string connectionString, Func<string, int> copiesOf, CancellationToken cancellationToken)
    {
        var duplicator = new BusDuplicator(copiesOf);
        var factory = new ConnectionFactory { Uri = new Uri(connectionString) };
        try
        {
            duplicator._connection = await factory.CreateConnectionAsync("orchestrator-e2e-duplicator", cancellationToken);
            // Confirmed publishes: a copy counted is a copy the broker took.
            duplicator._publisher = await duplicator._connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            duplicator._pump = Task.Run(duplicator.PumpAsync, CancellationToken.None);
            duplicator._firehose = await Firehose.StartAsync(connectionString, Firehose.Published, duplicator.OnTracedAsync, cancellationToken);
        }
        catch
        {
            await duplicator.DisposeAsync();
            throw;
        }

        return duplicator;
    }

    /// <summary>Stops reading the firehose and returns once every copy of what it read has been published.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (_firehose is not null)
            {
                await _firehose.DisposeAsync();
            }
        }
        finally
        {
            _traced.Writer.TryComplete();
            if (_pump is not null)
            {
                await _pump;
            }

            if (_connection is not null)
            {
                await _connection.CloseAsync();
                _connection.Dispose();
            }
        }
    }

    private Task OnTracedAsync(BasicDeliverEventArgs delivery)
    {
        var headers = delivery.BasicProperties.Headers ?? new Dictionary<string, object?>();
        object? Header(string name) => headers.TryGetValue(name, out var value) ? value : null;
        var exchange = Text(Header("exchange_name"));
        var properties = PropertiesOf(Header("properties") as IDictionary<string, object?>);
        if (exchange.EndsWith("_error", StringComparison.Ordinal) || exchange.EndsWith("_skipped", StringComparison.Ordinal)
            || properties.MessageId is not { Length: > 0 } messageId || !_copied.TryAdd(messageId, 0))
        {
            return Task.CompletedTask;
        }

        var routingKey = Header("routing_keys") is IEnumerable<object?> keys ? keys.Select(Text).FirstOrDefault() ?? "" : "";
        var body = delivery.Body.ToArray();
        _traced.Writer.TryWrite(new TracedMessage(exchange, routingKey, properties, body, TypeOf(body)));
        return Task.CompletedTask;
    }

    private async Task PumpAsync()
    {
        await foreach (var message in _traced.Reader.ReadAllAsync())
        {
            var copies = _copiesOf(message.Type);
            if (copies <= 0)
            {
                continue;
            }

            await Task.WhenAll(Enumerable.Range(0, copies).Select(_ =>
                _publisher!.BasicPublishAsync(message.Exchange, message.RoutingKey, mandatory: false, message.Properties, message.Body).AsTask()));
            _injectedByType.AddOrUpdate(message.Type, copies, (_, sum) => sum + copies);
        }
    }

    // The trace carries the original message's properties as a table named as in the AMQP specification.
    private static BasicProperties PropertiesOf(IDictionary<string, object?>? table)
    {
        var properties = new BasicProperties();
        foreach (var (name, value) in table ?? new Dictionary<string, object?>())
        {
            switch (name)
            {
                case "content_type": properties.ContentType = Text(value); break;
                case "content_encoding": properties.ContentEncoding = Text(value); break;
                case "headers": properties.Headers = value as IDictionary<string, object?>; break;
                case "delivery_mode": properties.DeliveryMode = (DeliveryModes)Convert.ToByte(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "priority": properties.Priority = Convert.ToByte(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "correlation_id": properties.CorrelationId = Text(value); break;
                case "reply_to": properties.ReplyTo = Text(value); break;
                case "expiration": properties.Expiration = Text(value); break;
                case "message_id": properties.MessageId = Text(value); break;
                case "timestamp": properties.Timestamp = value is AmqpTimestamp at ? at : new AmqpTimestamp(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case "type": properties.Type = Text(value); break;
                case "app_id": properties.AppId = Text(value); break;
            }
        }

        return properties;
    }

    // MassTransit's envelope names the message's types as URNs; the first is the one sent. Namespaces are left out.
    private static string TypeOf(byte[] body)
    {
        try
        {
            using var envelope = JsonDocument.Parse(body);
            var urn = envelope.RootElement.GetProperty("messageType")[0].GetString()!;
            return Namespace().Replace(urn["urn:message:".Length..], "").Replace("[[", "<", StringComparison.Ordinal).Replace("]]", ">", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return "(not a MassTransit envelope)";
        }
    }

    private static string Text(object? value) => value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString() ?? "";

    [GeneratedRegex(@"[\w.]+:")]
    private static partial Regex Namespace();
}
