using MassTransit;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Integration;

namespace Orchestrator.Consumers;

/// <summary>
/// Tells every configured webhook that a feature ended (completed, failed or cancelled), on its own queue
/// (<c>feature-webhooks</c>): the saga has already moved on, so a slow or failing receiver can hold up nothing but its own
/// notification. The body is signed once and sent to all webhooks at once; when any of them still fails after its
/// retries, the message goes to <c>feature-webhooks_error</c>, naming each failed webhook — moved back to the queue it
/// is delivered again, with the same delivery ids, to every webhook.
/// </summary>
public sealed class FeatureWebhookConsumer(IOptions<IntegrationOptions> options, WebhookSender sender, TimeProvider time)
    : IConsumer<FeatureCompleted>, IConsumer<FeatureFailed>, IConsumer<FeatureCancelled>
{
    public Task Consume(ConsumeContext<FeatureCompleted> context) =>
        NotifyAsync(FeatureEndedNotification.From(context.Message, SentAt(context)), context.CancellationToken);

    public Task Consume(ConsumeContext<FeatureFailed> context) =>
        NotifyAsync(FeatureEndedNotification.From(context.Message, SentAt(context)), context.CancellationToken);

    public Task Consume(ConsumeContext<FeatureCancelled> context) =>
        NotifyAsync(FeatureEndedNotification.From(context.Message, SentAt(context)), context.CancellationToken);

    private async Task NotifyAsync(FeatureEndedNotification notification, CancellationToken cancellationToken)
    {
        var body = notification.ToJson();
        var webhooks = options.Value.Webhooks.ToList();
        var failures = await Task.WhenAll(webhooks.Select(webhook =>
            sender.DeliverAsync(webhook.Key, webhook.Value, notification, body, cancellationToken)));

        var failed = webhooks.Zip(failures).Where(pair => pair.Second is not null).Select(pair => $"{pair.First.Key} ({pair.Second})").ToList();
        if (failed.Count > 0)
        {
            throw new WebhookDeliveryException(
                $"The {notification.Event} notification of feature {notification.FeatureId} was not delivered to: {string.Join("; ", failed)}.");
        }
    }

    // From an orchestrator older than EndedAt: the moment the saga published the end is as close as it gets.
    private DateTimeOffset SentAt(ConsumeContext context) =>
        context.SentTime is { } sent ? new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) : time.GetUtcNow();
}
