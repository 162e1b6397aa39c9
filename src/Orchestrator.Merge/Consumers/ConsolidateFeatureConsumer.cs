using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Consumers;

/// <summary>
/// Consolidates a feature and reports the outcome; while it works, it tells the saga it is alive (the saga sends the
/// consolidation again when the heartbeats stop, which is harmless: the pull request is looked up before it is created).
/// </summary>
public sealed class ConsolidateFeatureConsumer(
    FeatureConsolidator consolidator, IBus bus, TimeProvider time, ILogger<ConsolidateFeatureConsumer> logger) : IConsumer<ConsolidateFeature>
{
    private static readonly string Instance = Heartbeat.InstanceOf("merge");

    public async Task Consume(ConsumeContext<ConsolidateFeature> context)
    {
        var feature = context.Message.FeatureId;
        ConsolidationOutcome outcome;
        // Through the bus, not the context: the outbox would hold these until the consolidation is over.
        await using (Heartbeat.Start(
            bus,
            new ConsolidationStarted(feature, Instance, time.GetUtcNow()),
            at => new ConsolidationHeartbeat(feature, Instance, at),
            context.Message.HeartbeatInterval,
            time,
            logger))
        {
            try
            {
                outcome = await consolidator.ConsolidateAsync(context.Message, context.CancellationToken);
            }
            catch (GitCommandException ex)
            {
                outcome = new ConsolidationOutcome.Refused($"git failed: {ex.Message}", []);
            }
        }

        switch (outcome)
        {
            case ConsolidationOutcome.Opened opened:
                await context.Publish(new PullRequestOpened(feature, opened.PullRequest, opened.Verification));
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
}
