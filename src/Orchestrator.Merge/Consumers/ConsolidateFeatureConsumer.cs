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

        switch (outcome)
        {
            case ConsolidationOutcome.Opened opened:
                await context.Publish(new PullRequestOpened(feature, opened.PullRequest, opened.Verification));
                break;
            case ConsolidationOutcome.ReadyForReview ready:
                await context.Publish(new FeatureVerified(feature, ready.ReviewBranch, ready.Verification));
                break;
            case ConsolidationOutcome.Conflicted conflicted:
                await context.Publish(new MergeConflicted(feature, conflicted.TaskId, conflicted.ConflictingFiles, conflicted.Conflicts));
                break;
            case ConsolidationOutcome.Unverified failed:
                await context.Publish(new VerificationFailed(feature, failed.Verification));
                break;
            case ConsolidationOutcome.Refused refused:
                await context.Publish(new ConsolidationFailed(feature, refused.Reason, refused.ConflictingFiles));
                break;
        }
    }

    private Task<ConsolidationOutcome> ConsolidateAsync(ConsolidateFeature message, CancellationToken cancellationToken) =>
        ConsolidationStep.RunAsync(bus, time, logger, message.FeatureId, message.HeartbeatInterval,
            () => consolidator.ConsolidateAsync(message, cancellationToken));

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: the same consolidation was asked for again; answered with its first outcome ({Outcome}) without consolidating again")]
    private static partial void LogAnsweredAgain(ILogger logger, Guid featureId, string outcome);
}
