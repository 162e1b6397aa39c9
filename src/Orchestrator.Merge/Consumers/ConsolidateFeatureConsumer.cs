using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.Merge.Consumers;

/// <summary>
/// Consolidates a feature and reports the outcome; while it works, it tells the saga it is alive (the saga sends the
/// consolidation again when the heartbeats stop, which is harmless: the pull request is looked up before it is created).
/// The same consolidation delivered again is answered with its first outcome (<see cref="ConsolidationAnswers"/>).
/// </summary>
public sealed partial class ConsolidateFeatureConsumer(
    FeatureConsolidator consolidator, ConsolidationAnswers answers, IBus bus, TimeProvider time, ILogger<ConsolidateFeatureConsumer> logger)
    : IConsumer<ConsolidateFeature>
{
    public async Task Consume(ConsumeContext<ConsolidateFeature> context)
    {
        var feature = context.Message.FeatureId;
        var (outcome, repeated) = await answers.GetOrAnswerAsync(
            ConsolidationAnswers.KeyOf(context.Message), () => ConsolidateAsync(context.Message, context.CancellationToken), context.CancellationToken);
        if (repeated)
        {
            LogAnsweredAgain(logger, feature, outcome.GetType().Name);
        }

        var ended = ConsolidationStep.EventFor(feature, outcome);
        await context.Publish(ended, ended.GetType());
    }

    private Task<ConsolidationOutcome> ConsolidateAsync(ConsolidateFeature message, CancellationToken cancellationToken) =>
        ConsolidationStep.RunAsync(bus, time, logger, message.FeatureId, message.HeartbeatInterval,
            () => consolidator.ConsolidateAsync(message, cancellationToken));

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: the same consolidation was asked for again; answered with its first outcome ({Outcome}) without consolidating again")]
    private static partial void LogAnsweredAgain(ILogger logger, Guid featureId, string outcome);
}
