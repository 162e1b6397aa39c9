using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Consumers;

/// <summary>
/// The merge service's part of the saga's Consolidating step — a consolidation, or the publishing of a reviewed one:
/// the saga is told it is alive while it runs (it sends the step again when the heartbeats stop), and git failing is a
/// refusal with the reason, never a fault.
/// </summary>
internal static class ConsolidationStep
{
    private static readonly string Instance = Heartbeat.InstanceOf("merge");

    public static async Task<ConsolidationOutcome> RunAsync(
        IBus bus, TimeProvider time, ILogger logger, Guid featureId, TimeSpan? heartbeatInterval, Func<Task<ConsolidationOutcome>> work)
    {
        // Through the bus, not the context: the outbox would hold these until the step is over.
        await using (Heartbeat.Start(
            bus,
            new ConsolidationStarted(featureId, Instance, time.GetUtcNow()),
            at => new ConsolidationHeartbeat(featureId, Instance, at),
            heartbeatInterval,
            time,
            logger))
        {
            try
            {
                return await work();
            }
            catch (GitCommandException ex)
            {
                return new ConsolidationOutcome.Refused($"git failed: {ex.Message}", []);
            }
        }
    }

    /// <summary>The event that tells the saga how the step ended.</summary>
    public static object EventFor(Guid featureId, ConsolidationOutcome outcome) => outcome switch
    {
        ConsolidationOutcome.Opened opened => new PullRequestOpened(featureId, opened.PullRequest, opened.Verification),
        ConsolidationOutcome.ReadyForReview ready => new FeatureVerified(featureId, ready.ReviewBranch, ready.Verification),
        ConsolidationOutcome.Conflicted conflicted => new MergeConflicted(featureId, conflicted.TaskId, conflicted.ConflictingFiles, conflicted.Conflicts),
        ConsolidationOutcome.Unverified failed => new VerificationFailed(featureId, failed.Verification),
        ConsolidationOutcome.Refused refused => new ConsolidationFailed(featureId, refused.Reason, refused.ConflictingFiles),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.GetType().Name, "not an outcome of a consolidation step"),
    };
}
