using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Features;

namespace Orchestrator.StateMachines;

/// <summary>
/// Approval: a feature submitted with <see cref="SubmitFeature.ApprovePlan"/> (or under
/// <see cref="FeatureWorkflowOptions.RequirePlanApproval"/>) waits in <see cref="AwaitingApproval"/> once it is planned
/// and its work repository is prepared; nothing is dispatched until <see cref="ApproveFeature"/> (optionally with an
/// edited plan) moves it to Executing. Under <see cref="FeatureWorkflowOptions.ApproveBudgetIncrease"/>, a feature whose
/// budget runs out waits in <see cref="AwaitingBudget"/> for a larger one, and then tries the task again.
/// <see cref="RejectFeature"/> or <see cref="FeatureWorkflowOptions.ApprovalTimeout"/> (the stage deadline, enforced by the
/// <see cref="DeadlineMonitor"/>) fails it; cancel works as in any other state.
/// </summary>
public sealed partial class FeatureStateMachine
{
    public State AwaitingApproval { get; private set; } = null!;
    public State AwaitingBudget { get; private set; } = null!;

    public Event<ApproveFeature> Approved { get; private set; } = null!;
    public Event<RejectFeature> Rejected { get; private set; } = null!;

    /// <summary>The states in which a feature waits for <see cref="ApproveFeature"/> or <see cref="RejectFeature"/>.</summary>
    public static readonly IReadOnlyList<string> WaitingStates = [nameof(AwaitingApproval), nameof(AwaitingBudget)];

    private void CorrelateApprovalEvents()
    {
        Event(() => Approved, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => Rejected, e => e.CorrelateById(c => c.Message.FeatureId));
    }

    private void DuringAwaitingApproval() =>
        During(AwaitingApproval,
            When(Approved, context => IsAcceptablePlanApproval(context.Saga, context.Message))
                .Then(context => ApplyPlanApproval(context.Saga, context.Message))
                .TransitionTo(Executing)
                .ThenAsync(DispatchReadyTasks),
            When(Rejected)
                .ThenAsync(context => Fail(context, $"The plan was rejected: {context.Message.Reason}")),
            When(StageTimedOut, context => context.Message.Stage == nameof(AwaitingApproval))
                .ThenAsync(context => Fail(context, $"The plan was not approved within {_options.ApprovalTimeout}.")));

    private void DuringAwaitingBudget() =>
        During(AwaitingBudget,
            When(Approved, context => context.Message is { Plan: null, TokenBudget: { } budget }
                    && PlanApproval.BudgetProblem(budget, context.Saga.Usage.TotalTokens) is null)
                .Then(context => RaiseBudget(context.Saga, context.Message.TokenBudget!.Value))
                .TransitionTo(Executing)
                .ThenAsync(DispatchReadyTasks),
            When(Rejected)
                .ThenAsync(context => Fail(context, $"{context.Saga.BudgetShortfall} A larger budget was refused: {context.Message.Reason}")),
            When(StageTimedOut, context => context.Message.Stage == nameof(AwaitingBudget))
                .ThenAsync(context => Fail(context, $"{context.Saga.BudgetShortfall} A larger budget was not approved within {_options.ApprovalTimeout}.")),
            // Tasks that were running when the budget ran out report while the feature waits: their work is kept, and
            // one that fails is tried again with the rest once the budget is raised.
            When(TaskCompleted, context => context.Saga.Plan.IsCurrentAttempt(context.Message.TaskId, context.Message.Attempt))
                .Then(context => CompleteTask(context.Saga, context.Message)),
            When(TaskFailed, context => context.Saga.Plan.IsCurrentAttempt(context.Message.TaskId, context.Message.Attempt))
                .ThenAsync(context => HoldOrFail(
                    context, context.Message.TaskId, context.Message.Reason, context.Message.Usage, context.Message.BudgetExceeded)),
            When(TaskTimedOut, context => context.Saga.Plan.IsCurrentAttempt(context.Message.TaskId, context.Message.Attempt))
                .ThenAsync(context => HoldOrFail(context, context.Message.TaskId, $"timed out: no result within {_options.TaskTimeout}", TokenUsage.None)),
            When(TaskLost, context => context.Saga.Plan.IsSilentSince(context.Message.TaskId, context.Message.Attempt, context.Message.LastSeen))
                .ThenAsync(context => HoldOrFail(context, context.Message.TaskId, context.Saga.Plan[context.Message.TaskId].LostReason, TokenUsage.None)),
            When(TaskStarted, context => context.Saga.Plan.IsCurrentAttempt(context.Message.TaskId, context.Message.Attempt))
                .Then(context => SeenRunning(context.Saga, context.Message.TaskId, context.Message.Instance)),
            When(TaskHeartbeat, context => context.Saga.Plan.IsCurrentAttempt(context.Message.TaskId, context.Message.Attempt))
                .Then(context => SeenRunning(context.Saga, context.Message.TaskId, context.Message.Instance)),
            When(ImplementFaulted).ThenAsync(context => FailOnFault(context, context.Message.Message.Task, context.Message)),
            When(TestsFaulted).ThenAsync(context => FailOnFault(context, context.Message.Message.Task, context.Message)),
            When(DocsFaulted).ThenAsync(context => FailOnFault(context, context.Message.Message.Task, context.Message)),
            When(AgentTaskFaulted).ThenAsync(context => FailOnFault(context, context.Message.Message.Task, context.Message)));

    /// <summary>Planned and prepared: the plan waits for approval, until the approval deadline.</summary>
    private async Task AwaitPlanApproval(BehaviorContext<FeatureState> context)
    {
        var saga = context.Saga;
        saga.UpdatedAt = _time.GetUtcNow();
        saga.StageDeadline = saga.UpdatedAt + _options.ApprovalTimeout;
        await context.TransitionToState(AwaitingApproval);
        await context.Publish(AwaitingApprovalOf(saga, ApprovalSubject.Plan));
    }

    /// <summary>A task ran out of the budget: the feature waits for a larger one instead of failing with <paramref name="shortfall"/>.</summary>
    private async Task AwaitBudget(BehaviorContext<FeatureState> context, string shortfall)
    {
        var saga = context.Saga;
        saga.BudgetShortfall = shortfall;
        saga.UpdatedAt = _time.GetUtcNow();
        saga.StageDeadline = saga.UpdatedAt + _options.ApprovalTimeout;
        await context.TransitionToState(AwaitingBudget);
        await context.Publish(AwaitingApprovalOf(saga, ApprovalSubject.Budget) with { Reason = shortfall });
    }

    private static FeatureAwaitingApproval AwaitingApprovalOf(FeatureState saga, string subject) =>
        new(saga.CorrelationId, subject, saga.Title,
            saga.Tasks.Select(t => new PlannedTask(t.TaskId, t.Role, t.Title, t.Instructions, t.DependsOn) { Files = t.Files }).ToList(),
            saga.StageDeadline!.Value)
        {
            TokenBudget = saga.TokenBudget,
            TokensUsed = saga.Usage.TotalTokens,
        };

    /// <summary>An approval from the bus is held to the API's rules: a valid plan, a budget above what was spent.</summary>
    private bool IsAcceptablePlanApproval(FeatureState saga, ApproveFeature approval) =>
        (approval.Plan is null || PlanApproval.ProblemsOf(approval.Plan, _roles).Count == 0)
        && (approval.TokenBudget is not { } budget || PlanApproval.BudgetProblem(budget, saga.Usage.TotalTokens) is null);

    private void ApplyPlanApproval(FeatureState saga, ApproveFeature approval)
    {
        if (approval.Plan is { } edited)
        {
            var plan = PlanApproval.Cleaned(edited);
            saga.Title = plan.Title;
            saga.Summary = plan.Summary;
            saga.Interface = plan.Interface;
            saga.Tasks = FeaturePlan.From(plan.Tasks);
        }

        if (approval.TokenBudget is { } budget)
        {
            saga.TokenBudget = budget;
        }

        saga.StageDeadline = null;
        saga.UpdatedAt = _time.GetUtcNow();
    }

    /// <summary>The budget is raised: the tasks held while waiting are pending again, to be dispatched with the rest.</summary>
    private void RaiseBudget(FeatureState saga, long budget)
    {
        var now = _time.GetUtcNow();
        saga.TokenBudget = budget;
        saga.BudgetShortfall = null;
        saga.StageDeadline = null;
        saga.UpdatedAt = now;
        foreach (var task in saga.Tasks.Where(t => t.State == FeatureTaskState.Failed))
        {
            task.WaitAgain();
        }
    }

    /// <summary>
    /// A task ended without a result while the feature waits for a budget: held, to be tried again once the budget is
    /// raised, unless it has used up its attempts for another reason than the budget (then the feature fails as usual).
    /// </summary>
    private async Task HoldOrFail(
        BehaviorContext<FeatureState> context, string taskId, string reason, TokenUsage usage, bool budgetExceeded = false)
    {
        var task = context.Saga.Plan[taskId];
        if (!budgetExceeded && task.Attempts >= _options.MaxTaskAttempts)
        {
            await RetryOrFail(context, taskId, reason, usage);
            return;
        }

        task.Usage += usage;
        context.Saga.Usage += usage;
        task.End(FeatureTaskState.Failed, reason, _time.GetUtcNow());
        context.Saga.UpdatedAt = _time.GetUtcNow();
    }
}
