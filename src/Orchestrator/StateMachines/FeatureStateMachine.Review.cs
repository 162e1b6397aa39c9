using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Messaging;

namespace Orchestrator.StateMachines;

/// <summary>
/// The review (docs/decisions/0015-reviewer.md): with the feature's review on, a verified consolidation is pushed to a
/// review branch and reported (<see cref="FeatureVerified"/>); the Reviewer reviews it (Consolidating → Reviewing). An
/// approval — or suggestions only — publishes the verified commit; must-fix findings start one Coder task
/// (<c>address-review-&lt;n&gt;</c>) and the feature is consolidated, verified and reviewed again, as often as
/// <see cref="FeatureWorkflowOptions.MaxReviewRounds"/> allows; then it is published with the findings open. A review
/// that cannot be done (an invalid answer, a crash, no answer in time) publishes with the reason: a review never makes
/// a feature hang or fail. Publishing goes back to Consolidating, so its liveness and failures are the merge step's.
/// </summary>
public sealed partial class FeatureStateMachine
{
    public State Reviewing { get; private set; } = null!;

    public Event<FeatureVerified> Verified { get; private set; } = null!;
    public Event<FeatureReviewed> Reviewed { get; private set; } = null!;
    public Event<Fault<ReviewFeature>> ReviewFaulted { get; private set; } = null!;
    public Event<Fault<PublishReviewedFeature>> PublishingFaulted { get; private set; } = null!;
    public Event<Fault<FeatureVerified>> VerifiedPoisoned { get; private set; } = null!;
    public Event<Fault<FeatureReviewed>> ReviewedPoisoned { get; private set; } = null!;

    private void CorrelateReviewEvents()
    {
        Event(() => Verified, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => Reviewed, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => ReviewFaulted, e => e.CorrelateById(c => c.Message.Message.Task.FeatureId));
        Event(() => PublishingFaulted, e => e.CorrelateById(c => c.Message.Message.Feature.FeatureId));
        Event(() => VerifiedPoisoned, e => e.CorrelateById(c => c.Message.Message.FeatureId));
        Event(() => ReviewedPoisoned, e => e.CorrelateById(c => c.Message.Message.FeatureId));
    }

    private void DuringReview()
    {
        During(Consolidating,
            When(Verified, context => context.Saga.Review is not { Publishing: true })
                .ThenAsync(StartReview),
            When(PublishingFaulted)
                .ThenAsync(context => Fail(context, $"Publishing the reviewed feature failed: {FaultReason(context.Message)}")));

        During(Reviewing,
            When(Reviewed, context => IsCurrentReview(context.Saga, context.Message.TaskId, context.Message.Attempt))
                .ThenAsync(ConcludeOrFix),
            When(TaskFailed, context => IsCurrentReview(context.Saga, context.Message.TaskId, context.Message.Attempt))
                .ThenAsync(context => PublishUnreviewed(context, context.Message.Reason, context.Message.Usage)),
            When(ReviewFaulted, context => IsCurrentReview(context.Saga, context.Message.Message.Task.TaskId, context.Message.Message.Task.Attempt))
                .ThenAsync(context => PublishUnreviewed(context, $"the reviewer crashed: {FaultReason(context.Message)}", TokenUsage.None)),
            When(TaskTimedOut, context => IsCurrentReview(context.Saga, context.Message.TaskId, context.Message.Attempt))
                .ThenAsync(context => ReviewAgainOrPublish(context, $"timed out: no result within {_options.TaskTimeout}")),
            When(TaskLost, context => context.Saga.Plan.IsSilentSince(context.Message.TaskId, context.Message.Attempt, context.Message.LastSeen))
                .ThenAsync(context => ReviewAgainOrPublish(context, context.Saga.Plan[context.Message.TaskId].LostReason)),
            When(TaskStarted, context => IsCurrentReview(context.Saga, context.Message.TaskId, context.Message.Attempt))
                .Then(context => SeenRunning(context.Saga, context.Message.TaskId, context.Message.Instance)),
            When(TaskHeartbeat, context => IsCurrentReview(context.Saga, context.Message.TaskId, context.Message.Attempt))
                .Then(context => SeenRunning(context.Saga, context.Message.TaskId, context.Message.Instance)));

        // Poison, as in FeatureStateMachine.Poison.cs: a result the saga itself cannot process fails the feature at once.
        During(new[] { Consolidating, Reviewing },
            FailWhenFaultedHere(VerifiedPoisoned),
            FailWhenFaultedHere(ReviewedPoisoned));
        During(Reviewing,
            FailWhenFaultedHere(TaskFailedPoisoned));
    }

    private static bool IsCurrentReview(FeatureState saga, string taskId, int attempt) =>
        saga.Review is { } review && review.TaskId == taskId && saga.Plan.IsCurrentAttempt(taskId, attempt);

    /// <summary>The branch a verified consolidation is pushed to for the next review; null when the feature is not reviewed.</summary>
    private static string? NextReviewBranch(FeatureState saga) =>
        saga.ReviewEnabled ? saga.TaskBranch($"review-{(saga.Review?.Rounds ?? 0) + 1}") : null;

    private async Task StartReview(BehaviorContext<FeatureState, FeatureVerified> context)
    {
        var saga = context.Saga;
        (saga.Review ??= new FeatureReview()).Begin(context.Message.ReviewBranch, context.Message.Verification);
        saga.Verification = context.Message.Verification;
        saga.StageDeadline = null;
        saga.Plan.AddReviewTask(saga.Review.Rounds);
        await context.TransitionToState(Reviewing);
        await DispatchReview(context);
    }

    /// <summary>Starts the review task's next attempt on the review branch and sends it to the Reviewer's queue.</summary>
    private async Task DispatchReview(BehaviorContext<FeatureState> context)
    {
        var saga = context.Saga;
        var review = saga.Plan[saga.Review!.TaskId];
        var now = _time.GetUtcNow();
        review.StartAttempt(saga.Review.Branch!, now, now + _options.TaskTimeout);
        saga.UpdatedAt = now;
        var share = saga.Plan.TokenShare(saga.TokenBudget, saga.Usage.TotalTokens);
        var reviewer = await context.GetSendEndpoint(Queues.Address(_roles.Find(AgentRole.Reviewer)?.Queue ?? Queues.Reviewer));
        await reviewer.Send(saga.ReviewRequest(review, share, _options.HeartbeatInterval), context.CancellationToken);
    }

    private async Task ConcludeOrFix(BehaviorContext<FeatureState, FeatureReviewed> context)
    {
        var saga = context.Saga;
        var report = context.Message.Review;
        var now = _time.GetUtcNow();
        saga.Plan[context.Message.TaskId].Finish($"{report.Verdict}: {report.Summary}", context.Message.Usage, now);
        saga.Usage += context.Message.Usage;
        saga.UpdatedAt = now;
        saga.Review!.Record(report);

        var mustFix = report.Verdict == ReviewVerdict.RequestChanges ? report.MustFix : [];
        if (mustFix.Count == 0)
        {
            await Publish(context, report.Findings.Count == 0 ? ReviewOutcome.Approved : ReviewOutcome.ApprovedWithNotes);
        }
        else if (saga.Review.FixRounds >= _options.MaxReviewRounds)
        {
            await Publish(context, ReviewOutcome.ChangesUnresolved);
        }
        else
        {
            saga.Review.FixRounds++;
            await StartRepair(context, RepairTask.AddressReview(saga.Review.FixRounds, report));
        }
    }

    /// <summary>The review could not be done: the verified commit is published, and the pull request says why it was not reviewed.</summary>
    private async Task PublishUnreviewed(BehaviorContext<FeatureState> context, string reason, TokenUsage usage)
    {
        var saga = context.Saga;
        var task = saga.Plan[saga.Review!.TaskId];
        task.Usage += usage;
        saga.Usage += usage;
        task.End(FeatureTaskState.Failed, reason, _time.GetUtcNow());
        await Publish(context, ReviewOutcome.NotCompleted, $"The review failed: {reason}");
    }

    /// <summary>A review attempt timed out or was lost: it is sent again, as often as a task may be attempted.</summary>
    private async Task ReviewAgainOrPublish(BehaviorContext<FeatureState> context, string reason)
    {
        var task = context.Saga.Plan[context.Saga.Review!.TaskId];
        task.FailureReason = reason;
        if (task.Attempts < _options.MaxTaskAttempts)
        {
            await DispatchReview(context);
            return;
        }

        await PublishUnreviewed(context, $"{reason} (after {Count(task.Attempts, "attempt")})", TokenUsage.None);
    }

    /// <summary>Back to Consolidating: the merge service publishes the verified commit with the review section.</summary>
    private async Task Publish(BehaviorContext<FeatureState> context, ReviewOutcome outcome, string? note = null)
    {
        var saga = context.Saga;
        saga.Review!.Conclude(outcome, note);
        saga.Consolidation = new ConsolidationRound();
        await context.TransitionToState(Consolidating);
        await SendConsolidation(context);
    }

    /// <summary>The publish request of the reviewed commit, sent instead of a consolidation while the review's outcome is published.</summary>
    private static PublishReviewedFeature PublishRequest(FeatureState saga, ConsolidateFeature consolidation)
    {
        var review = saga.Review!;
        return new PublishReviewedFeature(consolidation, review.Branch!, review.Verification!, review.Section());
    }
}
