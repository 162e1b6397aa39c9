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

        // Publishing opens the pull request or refuses; anything else from it is a defect, reported as a failure.
        object ended = outcome is ConsolidationOutcome.Opened or ConsolidationOutcome.Refused
            ? ConsolidationStep.EventFor(feature, outcome)
            : new ConsolidationFailed(feature, $"publishing ended unexpectedly ({outcome.GetType().Name})", []);
        await context.Publish(ended, ended.GetType());
    }

    private Task<ConsolidationOutcome> PublishAsync(PublishReviewedFeature message, CancellationToken cancellationToken) =>
        ConsolidationStep.RunAsync(bus, time, logger, message.Feature.FeatureId, message.Feature.HeartbeatInterval,
            () => consolidator.PublishReviewedAsync(message, cancellationToken));

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: the same publishing was asked for again; answered with its first outcome ({Outcome})")]
    private static partial void LogAnsweredAgain(ILogger logger, Guid featureId, string outcome);
}
