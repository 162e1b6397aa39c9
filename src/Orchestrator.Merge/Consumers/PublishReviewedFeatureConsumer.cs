using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Consumers;

/// <summary>
/// Publishes a reviewed feature (its verified commit, with the review section) and reports the pull request; alive and
/// answered once like a consolidation (<see cref="ConsolidateFeatureConsumer"/>), whose step it ends.
/// </summary>
public sealed partial class PublishReviewedFeatureConsumer(
    FeatureConsolidator consolidator, ConsolidationAnswers answers, IBus bus, TimeProvider time, ILogger<PublishReviewedFeatureConsumer> logger)
    : IConsumer<PublishReviewedFeature>
{
    private static readonly string Instance = Heartbeat.InstanceOf("merge");

    public async Task Consume(ConsumeContext<PublishReviewedFeature> context)
    {
        var feature = context.Message.Feature.FeatureId;
        var (outcome, repeated) = await answers.GetOrAnswerAsync(
            ConsolidationAnswers.KeyOf(context.Message), () => PublishAsync(context.Message, context.CancellationToken), context.CancellationToken);
        if (repeated)
        {
            LogAnsweredAgain(logger, feature, outcome.GetType().Name);
        }

        switch (outcome)
        {
            case ConsolidationOutcome.Opened opened:
                await context.Publish(new PullRequestOpened(feature, opened.PullRequest, opened.Verification));
                break;
            case ConsolidationOutcome.Refused refused:
                await context.Publish(new ConsolidationFailed(feature, refused.Reason, refused.ConflictingFiles));
                break;
            default:
                await context.Publish(new ConsolidationFailed(feature, $"publishing ended unexpectedly ({outcome.GetType().Name})", []));
                break;
        }
    }

    private async Task<ConsolidationOutcome> PublishAsync(PublishReviewedFeature message, CancellationToken cancellationToken)
    {
        var feature = message.Feature;
        // Through the bus, not the context: the outbox would hold these until the publishing is over.
        await using (Heartbeat.Start(
            bus,
            new ConsolidationStarted(feature.FeatureId, Instance, time.GetUtcNow()),
            at => new ConsolidationHeartbeat(feature.FeatureId, Instance, at),
            feature.HeartbeatInterval,
            time,
            logger))
        {
            try
            {
                return await consolidator.PublishReviewedAsync(message, cancellationToken);
            }
            catch (GitCommandException ex)
            {
                return new ConsolidationOutcome.Refused($"git failed: {ex.Message}", []);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: the same publishing was asked for again; answered with its first outcome ({Outcome})")]
    private static partial void LogAnsweredAgain(ILogger logger, Guid featureId, string outcome);
}
