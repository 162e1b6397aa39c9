using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.StateMachines;

/// <summary>The events the feature saga reacts to, each correlated to its feature by the feature id it carries.</summary>
public sealed partial class FeatureStateMachine
{
    public Event<SubmitFeature> Submitted { get; private set; } = null!;
    public Event<FeaturePlanned> Planned { get; private set; } = null!;
    public Event<FeaturePlanRejected> PlanRejected { get; private set; } = null!;
    public Event<Fault<PlanFeature>> PlanningFaulted { get; private set; } = null!;
    public Event<WorkRepositoryPrepared> WorkRepositoryPrepared { get; private set; } = null!;
    public Event<WorkRepositoryFailed> WorkRepositoryFailed { get; private set; } = null!;
    public Event<Fault<PrepareWorkRepository>> PreparationFaulted { get; private set; } = null!;
    public Event<TaskCompleted> TaskCompleted { get; private set; } = null!;
    public Event<TaskFailed> TaskFailed { get; private set; } = null!;
    public Event<TaskTimedOut> TaskTimedOut { get; private set; } = null!;
    public Event<TaskStarted> TaskStarted { get; private set; } = null!;
    public Event<TaskHeartbeat> TaskHeartbeat { get; private set; } = null!;
    public Event<TaskLost> TaskLost { get; private set; } = null!;
    public Event<Fault<ImplementTask>> ImplementFaulted { get; private set; } = null!;
    public Event<Fault<WriteTests>> TestsFaulted { get; private set; } = null!;
    public Event<Fault<WriteDocs>> DocsFaulted { get; private set; } = null!;
    public Event<Fault<RunAgentTask>> AgentTaskFaulted { get; private set; } = null!;
    public Event<PullRequestOpened> PullRequestOpened { get; private set; } = null!;
    public Event<MergeConflicted> MergeConflicted { get; private set; } = null!;
    public Event<VerificationFailed> VerificationFailed { get; private set; } = null!;
    public Event<ConsolidationFailed> ConsolidationFailed { get; private set; } = null!;
    public Event<Fault<ConsolidateFeature>> ConsolidationFaulted { get; private set; } = null!;
    public Event<ConsolidationStarted> ConsolidationStarted { get; private set; } = null!;
    public Event<ConsolidationHeartbeat> ConsolidationHeartbeat { get; private set; } = null!;
    public Event<ConsolidationLost> ConsolidationLost { get; private set; } = null!;
    public Event<FeatureStageTimedOut> StageTimedOut { get; private set; } = null!;
    public Event<CancelFeature> CancelRequested { get; private set; } = null!;
    public Event<RequestFollowUp> FollowUpRequested { get; private set; } = null!;

    private void CorrelateEvents()
    {
        Event(() => Submitted, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => Planned, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => PlanRejected, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => PlanningFaulted, e => e.CorrelateById(c => c.Message.Message.FeatureId));
        Event(() => WorkRepositoryPrepared, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => WorkRepositoryFailed, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => PreparationFaulted, e => e.CorrelateById(c => c.Message.Message.FeatureId));
        Event(() => TaskCompleted, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => TaskFailed, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => TaskTimedOut, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => TaskStarted, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => TaskHeartbeat, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => TaskLost, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => ImplementFaulted, e => e.CorrelateById(c => c.Message.Message.Task.FeatureId));
        Event(() => TestsFaulted, e => e.CorrelateById(c => c.Message.Message.Task.FeatureId));
        Event(() => DocsFaulted, e => e.CorrelateById(c => c.Message.Message.Task.FeatureId));
        Event(() => AgentTaskFaulted, e => e.CorrelateById(c => c.Message.Message.Task.FeatureId));
        Event(() => PullRequestOpened, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => MergeConflicted, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => VerificationFailed, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => ConsolidationFailed, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => ConsolidationFaulted, e => e.CorrelateById(c => c.Message.Message.FeatureId));
        Event(() => ConsolidationStarted, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => ConsolidationHeartbeat, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => ConsolidationLost, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => StageTimedOut, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => CancelRequested, e => e.CorrelateById(c => c.Message.FeatureId));
        // A follow-up for a feature that does not exist is nobody's: no saga is created for it.
        Event(() => FollowUpRequested, e =>
        {
            e.CorrelateById(c => c.Message.FeatureId);
            e.OnMissingInstance(m => m.Discard());
        });
    }
}
