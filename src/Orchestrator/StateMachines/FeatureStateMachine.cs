using MassTransit;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Messaging;
using Orchestrator.Messaging.Roles;

namespace Orchestrator.StateMachines;

/// <summary>
/// Tracks each feature from request to pull request: Planning → (AwaitingApproval →) Executing (⇄ AwaitingBudget) →
/// Consolidating (⇄ Reviewing) → Completed, or Failed (with the reason) / Cancelled; the waits are in <c>.Approval.cs</c>. It decides; consumers do the work. This file is the chart (states, events,
/// transitions); <c>FeatureStateMachine.Steps.cs</c> holds the steps it names, and <see cref="FeaturePlan"/> the rules
/// of the task graph. Deadlines arrive as <see cref="TaskTimedOut"/> / <see cref="FeatureStageTimedOut"/>, and silent
/// instances as <see cref="TaskLost"/> / <see cref="ConsolidationLost"/>, from the <see cref="DeadlineMonitor"/>.
/// </summary>
public sealed partial class FeatureStateMachine : MassTransitStateMachine<FeatureState>
{
    private readonly FeatureWorkflowOptions _options;
    private readonly TimeProvider _time;
    private readonly PriceTable _prices;
    private readonly AgentRoles _roles;

    public FeatureStateMachine(IOptions<FeatureWorkflowOptions> options, TimeProvider time, PriceTable prices, AgentRoles roles)
    {
        _options = options.Value;
        _time = time;
        _prices = prices;
        _roles = roles;

        InstanceState(x => x.CurrentState);
        CorrelateEvents();
        CorrelatePoisonedEvents();
        CorrelateApprovalEvents();
        CorrelateReviewEvents();

        // Late and duplicate messages (a redelivered TaskCompleted, a result after cancellation) change nothing.
        OnUnhandledEvent(context => context.Ignore());

        Initially(
            When(Submitted)
                .Then(context => Accept(context.Saga, context.Message))
                .TransitionTo(Planning)
                .Respond(context => new FeatureAccepted(context.Saga.CorrelationId, nameof(Planning)))
                .Send(Queues.Address(Queues.MergePrepare), context => new PrepareWorkRepository(
                    context.Saga.CorrelationId, context.Saga.Repository, context.Saga.BaseBranch)));

        DuringPlanning();
        DuringExecuting();
        DuringConsolidating();
        DuringAwaitingApproval();
        DuringAwaitingBudget();
        DuringFollowUps();
        DuringReview();
        FailOnPoison();

        During(new[] { Planning, AwaitingApproval, Executing, AwaitingBudget, Consolidating, Reviewing, FollowingUp },
            When(CancelRequested)
                .Then(context => Cancel(context.Saga, context.Message.Reason))
                .TransitionTo(Cancelled)
                .Publish(context => new FeatureCancelled(context.Saga.CorrelationId, context.Message.Reason)
                {
                    SubmittedAt = context.Saga.SubmittedAt,
                    EndedAt = context.Saga.UpdatedAt,
                }));

        // A repeated submission (a client retrying with the same id) gets the feature's current state, nothing else.
        DuringAny(
            When(Submitted).Respond(context => new FeatureAccepted(context.Saga.CorrelationId, context.Saga.CurrentState)));
    }

    public State Planning { get; private set; } = null!;
    public State Executing { get; private set; } = null!;
    public State Consolidating { get; private set; } = null!;
    public State FollowingUp { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Failed { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;

    /// <summary>The final states: nothing more happens to a feature in them.</summary>
    public static readonly IReadOnlyList<string> FinalStates = [nameof(Completed), nameof(Failed), nameof(Cancelled)];

    private void DuringPlanning() =>
        During(Planning,
            // The work repository is prepared first: the planner reads its base branch before it plans (through the
            // staging server, with a read-only credential). Preparation delivered again asks for no second plan. The
            // first plan counts: one delivered again, or a second run of the planner, would count its tokens twice.
            When(Planned, context => context.Saga.Tasks.Count == 0)
                .Then(context => ApplyPlan(context.Saga, context.Message))
                .ThenAsync(StartWhenReady),
            When(WorkRepositoryPrepared, context => context.Saga.WorkRepository is null)
                .Then(context => UseWorkRepository(context.Saga, context.Message))
                .Send(Queues.Address(Queues.Planner), context => context.Saga.PlanRequest())
                .ThenAsync(StartWhenReady),
            When(WorkRepositoryFailed)
                .ThenAsync(context => Fail(context, $"The work repository could not be prepared: {context.Message.Reason}")),
            When(PreparationFaulted)
                .ThenAsync(context => Fail(context, $"The work repository could not be prepared: {FaultReason(context.Message)}")),
            When(PlanRejected)
                .Then(context => context.Saga.Usage += context.Message.Usage)
                .ThenAsync(context => Fail(context, $"The planner could not produce a valid plan: {context.Message.Reason}")),
            When(PlanningFaulted)
                .ThenAsync(context => Fail(context, $"Planning failed: {FaultReason(context.Message)}")),
            When(StageTimedOut, context => context.Message.Stage == nameof(Planning))
                .ThenAsync(context => Fail(context, $"Planning did not finish within {_options.PlanningTimeout}.")));

    private void DuringExecuting() =>
        During(Executing,
            When(TaskCompleted, context => context.Saga.Plan.IsCurrentAttempt(context.Message.TaskId, context.Message.Attempt))
                .Then(context => CompleteTask(context.Saga, context.Message))
                .IfElse(context => context.Saga.Plan.AllCompleted,
                    allDone => allDone
                        .Then(context => StartConsolidationRound(context.Saga))
                        .TransitionTo(Consolidating)
                        .ThenAsync(SendConsolidation),
                    more => more.ThenAsync(DispatchReadyTasks)),
            When(TaskFailed, context => context.Saga.Plan.IsCurrentAttempt(context.Message.TaskId, context.Message.Attempt))
                .ThenAsync(context => RetryOrFail(
                    context, context.Message.TaskId, context.Message.Reason, context.Message.Usage, context.Message.BudgetExceeded)),
            When(TaskTimedOut, context => context.Saga.Plan.IsCurrentAttempt(context.Message.TaskId, context.Message.Attempt))
                .ThenAsync(context => RetryOrFail(
                    context, context.Message.TaskId, $"timed out: no result within {_options.TaskTimeout}", TokenUsage.None)),
            // Liveness (FeatureStateMachine.Liveness.cs): queued until an instance takes the attempt, then running there.
            When(TaskStarted, context => context.Saga.Plan.IsCurrentAttempt(context.Message.TaskId, context.Message.Attempt))
                .Then(context => SeenRunning(context.Saga, context.Message.TaskId, context.Message.Instance)),
            When(TaskHeartbeat, context => context.Saga.Plan.IsCurrentAttempt(context.Message.TaskId, context.Message.Attempt))
                .Then(context => SeenRunning(context.Saga, context.Message.TaskId, context.Message.Instance)),
            When(TaskLost, context => context.Saga.Plan.IsSilentSince(context.Message.TaskId, context.Message.Attempt, context.Message.LastSeen))
                .ThenAsync(context => RetryOrFail(
                    context, context.Message.TaskId, context.Saga.Plan[context.Message.TaskId].LostReason, TokenUsage.None)),
            When(ImplementFaulted).ThenAsync(context => FailOnFault(context, context.Message.Message.Task, context.Message)),
            When(TestsFaulted).ThenAsync(context => FailOnFault(context, context.Message.Message.Task, context.Message)),
            When(DocsFaulted).ThenAsync(context => FailOnFault(context, context.Message.Message.Task, context.Message)),
            When(AgentTaskFaulted).ThenAsync(context => FailOnFault(context, context.Message.Message.Task, context.Message)));

    private void DuringConsolidating() =>
        During(Consolidating,
            When(PullRequestOpened)
                .Then(context => RecordPullRequest(context.Saga, context.Message))
                .TransitionTo(Completed)
                .Publish(context => new FeatureCompleted(context.Saga.CorrelationId, context.Message.PullRequest)
                {
                    TaskBranches = context.Saga.Tasks.Where(t => t.Branch is not null).Select(t => t.Branch!).ToList(),
                    SubmittedAt = context.Saga.SubmittedAt,
                    EndedAt = context.Saga.UpdatedAt,
                }),
            When(MergeConflicted)
                .ThenAsync(ResolveConflictsOrFail),
            When(VerificationFailed)
                .ThenAsync(FixOrFail),
            When(ConsolidationFailed)
                .ThenAsync(context => Fail(context, $"Consolidation failed: {context.Message.Reason}")),
            When(ConsolidationFaulted)
                .ThenAsync(context => Fail(context, $"Consolidation failed: {FaultReason(context.Message)}")),
            When(StageTimedOut, context => context.Message.Stage == nameof(Consolidating))
                .ThenAsync(context => Fail(context, $"Consolidation did not finish within {_options.ConsolidationTimeout}.")),
            When(ConsolidationStarted)
                .Then(context => SeenConsolidating(context.Saga, context.Message.Instance)),
            When(ConsolidationHeartbeat)
                .Then(context => SeenConsolidating(context.Saga, context.Message.Instance)),
            When(ConsolidationLost, context => context.Saga.Consolidation?.IsSilentSince(context.Message.LastSeen) == true)
                .ThenAsync(ResendConsolidationOrFail));
}
