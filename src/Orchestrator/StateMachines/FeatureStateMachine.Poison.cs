using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.StateMachines;

/// <summary>
/// Poison: when the saga itself cannot process one of the results that move a feature on (it threw after the
/// endpoint's retries), MassTransit moves the message to <c>feature-state_error</c> and publishes its <see cref="Fault{T}"/>.
/// The feature then fails at once with that reason, instead of waiting for its liveness and deadline checks while
/// nothing can move it. Other features are untouched: a fault names its own feature. These results are published events
/// that other systems may subscribe to as well (docs/integration.md), and every subscriber whose consumer throws publishes
/// the same <see cref="Fault{T}"/>: only a fault from the saga's own endpoint says that this feature cannot move on.
/// </summary>
public sealed partial class FeatureStateMachine
{
    public Event<Fault<FeaturePlanned>> PlannedPoisoned { get; private set; } = null!;
    public Event<Fault<WorkRepositoryPrepared>> WorkRepositoryPreparedPoisoned { get; private set; } = null!;
    public Event<Fault<TaskCompleted>> TaskCompletedPoisoned { get; private set; } = null!;
    public Event<Fault<TaskFailed>> TaskFailedPoisoned { get; private set; } = null!;
    public Event<Fault<MergeConflicted>> MergeConflictedPoisoned { get; private set; } = null!;
    public Event<Fault<VerificationFailed>> VerificationFailedPoisoned { get; private set; } = null!;
    public Event<Fault<PullRequestOpened>> PullRequestOpenedPoisoned { get; private set; } = null!;

    private void CorrelatePoisonedEvents()
    {
        Event(() => PlannedPoisoned, e => e.CorrelateById(c => c.Message.Message.FeatureId));
        Event(() => WorkRepositoryPreparedPoisoned, e => e.CorrelateById(c => c.Message.Message.FeatureId));
        Event(() => TaskCompletedPoisoned, e => e.CorrelateById(c => c.Message.Message.FeatureId));
        Event(() => TaskFailedPoisoned, e => e.CorrelateById(c => c.Message.Message.FeatureId));
        Event(() => MergeConflictedPoisoned, e => e.CorrelateById(c => c.Message.Message.FeatureId));
        Event(() => VerificationFailedPoisoned, e => e.CorrelateById(c => c.Message.Message.FeatureId));
        Event(() => PullRequestOpenedPoisoned, e => e.CorrelateById(c => c.Message.Message.FeatureId));
    }

    private void FailOnPoison() =>
        // A feature waiting for a larger budget still takes its running tasks' results (FeatureStateMachine.Approval.cs).
        During(new[] { Planning, Executing, AwaitingBudget, Consolidating },
            FailWhenFaultedHere(PlannedPoisoned),
            FailWhenFaultedHere(WorkRepositoryPreparedPoisoned),
            FailWhenFaultedHere(TaskCompletedPoisoned),
            FailWhenFaultedHere(TaskFailedPoisoned),
            FailWhenFaultedHere(MergeConflictedPoisoned),
            FailWhenFaultedHere(VerificationFailedPoisoned),
            FailWhenFaultedHere(PullRequestOpenedPoisoned));

    private EventActivityBinder<FeatureState, Fault<T>> FailWhenFaultedHere<T>(Event<Fault<T>> poisoned)
        where T : class =>
        When(poisoned, context => FaultedHere(context)).ThenAsync(context => FailPoisoned(context, context.Message));

    /// <summary>
    /// Whether the fault comes from the saga's own endpoint: MassTransit sends a fault from the endpoint that failed, with
    /// that endpoint's address as its source (<c>rabbitmq://host/vhost/feature-state</c>, <c>loopback://localhost/feature-state</c>).
    /// </summary>
    private static bool FaultedHere(ConsumeContext context) =>
        context.SourceAddress is { } source
        && source.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() == FeatureStateDefinition.QueueName;

    private Task FailPoisoned<T>(BehaviorContext<FeatureState> context, Fault<T> fault) =>
        Fail(context, $"The orchestrator could not process {typeof(T).Name} ({FaultReason(fault)}); the message was kept in the feature-state_error queue.");
}
