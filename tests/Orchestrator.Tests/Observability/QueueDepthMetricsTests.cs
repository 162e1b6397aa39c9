using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Observability;
using Orchestrator.Tests.Support;
using RabbitMQ.Client;

namespace Orchestrator.Tests.Observability;

/// <summary>
/// The <c>orchestrator.queue.depth</c> gauge against the real broker (<c>ConnectionStrings__messaging</c>, set by
/// ./test.sh). Safe on a broker others use: its queues have names of their own and go with the test's connection.
/// </summary>
public sealed class QueueDepthMetricsTests
{
    [Fact]
    public async Task Reports_the_messages_waiting_in_each_queue_and_skips_queues_that_do_not_exist()
    {
        var ct = TestContext.Current.CancellationToken;
        var broker = Environment.GetEnvironmentVariable("ConnectionStrings__messaging");
        Assert.SkipWhen(string.IsNullOrEmpty(broker), "ConnectionStrings__messaging is not set: ./test.sh starts the broker and sets it.");

        await using var connection = await new ConnectionFactory { Uri = new Uri(broker!) }.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        var waiting = $"metrics-test-{Guid.NewGuid():N}";
        var empty = $"{waiting}-empty";
        var missing = $"{waiting}-missing";
        await channel.QueueDeclareAsync(waiting, durable: false, exclusive: true, autoDelete: true, cancellationToken: ct);
        await channel.QueueDeclareAsync(empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: ct);
        for (var i = 0; i < 2; i++)
        {
            await channel.BasicPublishAsync(string.Empty, waiting, "task"u8.ToArray(), ct);
        }

        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var depths = new MetricCollector<long>(meters, QueueDepthMetrics.MeterName, QueueDepthMetrics.QueueDepthName);
        // The missing queue comes first: the broker closes the channel on it, and the others must still be read.
        var metrics = new QueueDepthMetrics(meters, () => connection, TimeProvider.System, NullLogger<QueueDepthMetrics>.Instance, [missing, waiting, empty]);

        Dictionary<string, long> observed = [];
        await Eventually.TrueAsync(async () =>
        {
            await metrics.RefreshAsync();
            depths.Clear();
            depths.RecordObservableInstruments();
            observed = depths.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["queue"]!, m => m.Value);
            return observed.GetValueOrDefault(waiting) == 2;
        }, Eventually.DefaultTimeout);

        Assert.Equal(new Dictionary<string, long> { [waiting] = 2, [empty] = 0 }, observed);
    }

    [Fact]
    public void Watches_every_command_queue_and_its_error_queue()
    {
        Assert.Contains("coder", QueueDepthMetrics.WatchedQueues);
        Assert.Contains("coder_error", QueueDepthMetrics.WatchedQueues);
        Assert.Equal(12, QueueDepthMetrics.WatchedQueues.Count);
        Assert.Equal(QueueDepthMetrics.WatchedQueues.Count, QueueDepthMetrics.WatchedQueues.Distinct().Count());
    }
}
