using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.Merge.Consumers;

/// <summary>
/// Publishes a reviewed feature (its verified commit, with the review section) and reports the pull request; alive and
/// answered once like a consolidation (<see cref="ConsolidateFeatureConsumer"/>), whose step it ends.
/// </summary>
public sealed partial class PublishReviewedFeatureConsumer(
    FeatureConsolidator consolidator, ConsolidationAnswers answers, IBus bus, TimeProvider time, ILogger<PublishReviewedFeatureConsumer> logger)
    : IConsumer<PublishReviewedFeature>
{
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

    private Task<ConsolidationOutcome> PublishAsync(PublishReviewedFeature message, CancellationToken cancellationToken) =>
        ConsolidationStep.RunAsync(bus, time, logger, message.Feature.FeatureId, message.Feature.HeartbeatInterval,
            () => consolidator.PublishReviewedAsync(message, cancellationToken));

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: the same publishing was asked for again; answered with its first outcome ({Outcome})")]
    private static partial void LogAnsweredAgain(ILogger logger, Guid featureId, string outcome);
}
