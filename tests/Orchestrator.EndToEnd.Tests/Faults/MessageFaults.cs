using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Orchestrator.EndToEnd.Tests.Faults;

/// <summary>
/// The faults done with messages (<see cref="MessageFaultTests"/>): what is delivered again, what cannot be processed,
/// and the rows the report gives them.
/// </summary>
public static class MessageFaults
{
    public const string Duplicates = "every message delivered twice";
    public const string PoisonNamed = "poison message: the feature it names";
    public const string PoisonBeside = "poison message: a feature beside it";
    public const string Burst = "a burst of events on one saga";

    /// <summary>The saga's queue, where the poison is sent: the saga is the consumer that must not hang on it.</summary>
    public const string PoisonQueue = "feature-state";

    /// <summary>Copies of each event of a burst, all published at once.</summary>
    public const int BurstCopies = 10;

    /// <summary>The rows, in the order the report lists them.</summary>
    public static IReadOnlyList<string> Rows { get; } = [Duplicates, PoisonNamed, PoisonBeside, Burst];

    /// <summary>
    /// The events that race on a feature's saga while its agents work: starts, heartbeats and completions of tasks and
    /// of the consolidation. Each gets <see cref="BurstCopies"/> copies; nothing else is copied.
    /// </summary>
    public static int BurstCopiesOf(string messageType) =>
        messageType is "TaskCompleted" or "TaskStarted" or "TaskHeartbeat" or "ConsolidationStarted" or "ConsolidationHeartbeat" or "PullRequestOpened"
            ? BurstCopies
            : 0;

    /// <summary>
    /// Sends two messages nobody can process to <see cref="PoisonQueue"/>: a body that is no message at all (it names no
    /// feature), and a well-formed <c>TaskCompleted</c> of <paramref name="featureId"/>'s dispatched task whose usage
    /// is missing, so the saga throws while adding it up. Returns how many were sent.
    /// </summary>
    public static async Task<int> SendPoisonAsync(string connectionString, Guid featureId, string taskId, int attempt, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(connectionString) };
        await using var connection = await factory.CreateConnectionAsync("orchestrator-e2e-poison", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);

        byte[][] poison =
        [
            Encoding.UTF8.GetBytes("{\"messageType\": [\"urn:message:Orchestrator.Contracts:TaskCompleted\"], \"message\": {\"featureId\": "),
            Envelope(featureId, taskId, attempt),
        ];
        foreach (var body in poison)
        {
            // MassTransit's receive endpoint exchange has the queue's name and delivers to it.
            var properties = new BasicProperties
            {
                ContentType = "application/vnd.masstransit+json",
                MessageId = Guid.NewGuid().ToString(),
                DeliveryMode = DeliveryModes.Persistent,
            };
            await channel.BasicPublishAsync(PoisonQueue, "", mandatory: true, properties, body, cancellationToken);
        }

        return poison.Length;
    }

    // As MassTransit's JSON serializer writes one: camelCase, the message's type as a URN.
    private static byte[] Envelope(Guid featureId, string taskId, int attempt) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        messageId = Guid.NewGuid(),
        conversationId = Guid.NewGuid(),
        destinationAddress = $"queue:{PoisonQueue}",
        messageType = new[] { "urn:message:Orchestrator.Contracts:TaskCompleted" },
        message = new
        {
            featureId,
            taskId,
            attempt,
            branch = $"orchestrator/tasks/{featureId:N}/{taskId}",
            commit = new string('0', 40),
            summary = "A completion sent by the fault suite, without the usage every agent reports.",
            changedFiles = new[] { "src/greeting.txt" },
            usage = (object?)null,
            model = "poison",
        },
        sentTime = DateTimeOffset.UtcNow,
        headers = new { },
    });
}
