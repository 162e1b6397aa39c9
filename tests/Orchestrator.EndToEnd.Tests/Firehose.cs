using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// RabbitMQ's firehose on the connection string's virtual host: tracing on (<c>rabbitmqctl trace_on</c>), a queue of
/// our own bound to <c>amq.rabbitmq.trace</c>, each traced message handed to a handler. Tracing is turned off again
/// when disposed: it copies every message, which the rest of the suite should not pay for.
/// </summary>
public sealed class Firehose : IAsyncDisposable
{
    /// <summary>Routing key of the trace of every message published (<c>publish.&lt;exchange&gt;</c>).</summary>
    public const string Published = "publish.#";

    /// <summary>Routing keys of both traces: every publish and every delivery (<c>deliver.&lt;queue&gt;</c>).</summary>
    public const string Everything = "#";

    private readonly string _virtualHost;
    private IConnection? _connection;
    private IChannel? _channel;

    private Firehose(string virtualHost)
    {
        _virtualHost = virtualHost;
    }

    /// <summary>
    /// Starts reading the trace. <paramref name="onTraced"/> runs on the client's dispatcher, one message at a time;
    /// the body is the client's only while it runs, so copy what you keep.
    /// </summary>
    public static async Task<Firehose> StartAsync(
        string connectionString, string bindingKey, Func<BasicDeliverEventArgs, Task> onTraced, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(connectionString) };
        var firehose = new Firehose(VirtualHostOf(connectionString));
        Ctl("trace_on", firehose._virtualHost);
        try
        {
            firehose._connection = await factory.CreateConnectionAsync("orchestrator-e2e-firehose", cancellationToken);
            firehose._channel = await firehose._connection.CreateChannelAsync(cancellationToken: cancellationToken);
            var queue = await firehose._channel.QueueDeclareAsync(
                "", durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken);
            await firehose._channel.QueueBindAsync(queue.QueueName, "amq.rabbitmq.trace", bindingKey, cancellationToken: cancellationToken);
            var consumer = new AsyncEventingBasicConsumer(firehose._channel);
            consumer.ReceivedAsync += (_, delivery) => onTraced(delivery);
            await firehose._channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer, cancellationToken);
            return firehose;
        }
        catch
        {
            await firehose.DisposeAsync();
            throw;
        }
    }

    /// <summary>The virtual host an <c>amqp://</c> connection string names (<c>/</c> when it names none).</summary>
    public static string VirtualHostOf(string connectionString) =>
        new ConnectionFactory { Uri = new Uri(connectionString) }.VirtualHost is { Length: > 0 } virtualHost ? virtualHost : "/";

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

    private static void Ctl(string command, string virtualHost)
    {
        // rabbitmqctl changes to its own home; from / a deleted working folder cannot trouble it (as scripts/rabbitmq.sh does).
        var result = OrchestratorApp.Run("rabbitmqctl", ["-q", command, "-p", virtualHost], "/");
        Assert.True(result.ExitCode == 0, $"rabbitmqctl {command}: {result.Text}");
    }
}
