using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Messaging;

namespace Orchestrator.StateMachines;

/// <summary>
/// The liveness steps the chart names: which instance runs a task or a consolidation, when it was last heard from, and
/// what happens when it goes silent (docs/architecture.md, "Liveness"). A lost task is retried like a failed one
/// (<c>RetryOrFail</c>); a lost consolidation is sent again.
/// </summary>
public sealed partial class FeatureStateMachine
{
    private void SeenRunning(FeatureState saga, string taskId, string instance)
    {
        var task = saga.Plan[taskId];
        var now = _time.GetUtcNow();
        if (task.State == FeatureTaskState.Queued)
        {
            // A change the API shows; a heartbeat alone is not one.
            saga.UpdatedAt = now;
        }

        task.SeenRunning(instance, now);
    }

    private void SeenConsolidating(FeatureState saga, string instance) =>
        // A feature that reached Consolidating before rounds were kept has none yet: it is on its first send.
        (saga.Consolidation ??= new ConsolidationRound { Attempts = 1 }).SeenRunning(instance, _time.GetUtcNow());

    /// <summary>Sends the current round's consolidation request (again), with a fresh stage deadline.</summary>
    private async Task SendConsolidation(BehaviorContext<FeatureState> context)
    {
        var saga = context.Saga;
        saga.Consolidation ??= new ConsolidationRound();
        saga.Consolidation.Send();
        saga.StageDeadline = _time.GetUtcNow() + _options.ConsolidationTimeout;
        var merge = await context.GetSendEndpoint(Queues.Address(Queues.Merge));
        var consolidation = saga.ConsolidationRequest(CostOf(saga), _options.HeartbeatInterval);
        if (saga.Review is { Publishing: true })
        {
            await merge.Send(PublishRequest(saga, consolidation), context.CancellationToken);
            return;
        }

        await merge.Send(consolidation with { ReviewBranch = NextReviewBranch(saga) }, context.CancellationToken);
    }

    /// <summary>A new consolidation of the work (not the publishing of a reviewed commit).</summary>
    private static void StartConsolidationRound(FeatureState saga)
    {
        saga.Consolidation = new ConsolidationRound();
        if (saga.Review is { } review)
        {
            review.Publishing = false;
        }
    }

    /// <summary>
    /// The merge instance went silent: the request is sent again (the merge service looks the pull request up before it
    /// creates one, so a second consolidation is harmless), as often as a task may be attempted; then the feature fails.
    /// </summary>
    private async Task ResendConsolidationOrFail(BehaviorContext<FeatureState, ConsolidationLost> context)
    {
        var round = context.Saga.Consolidation!;
        var reason = round.LostReason;
        if (round.Attempts >= _options.MaxTaskAttempts)
        {
            await Fail(context, $"Consolidation failed after {Count(round.Attempts, "attempt")}: {reason}");
            return;
        }

        round.GiveUpAttempt(reason);
        context.Saga.UpdatedAt = _time.GetUtcNow();
        await SendConsolidation(context);
    }
}
