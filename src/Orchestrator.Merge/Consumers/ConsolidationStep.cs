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
}
