using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Messaging;

namespace Orchestrator.StateMachines;

/// <summary>The steps the chart in <c>FeatureStateMachine.cs</c> names: state changes and the messages they send.</summary>
public sealed partial class FeatureStateMachine
{
    private void Accept(FeatureState saga, SubmitFeature message)
    {
        saga.Repository = message.Repository;
        saga.BaseBranch = message.BaseBranch;
        // Other systems submit on the bus too, past the API's cleaning.
        saga.Request = UntrustedText.StripHidden(message.Request);
        saga.Model = message.Model;
        saga.SubmittedAt = message.SubmittedAt;
        saga.Issue = message.Issue;
        saga.RequiresPlanApproval = message.ApprovePlan ?? _options.RequirePlanApproval;
        saga.TokenBudget = message.TokenBudget ?? _options.DefaultTokenBudget;
        saga.ReviewEnabled = message.Review ?? _options.Review;
        saga.UpdatedAt = _time.GetUtcNow();
        saga.StageDeadline = saga.UpdatedAt + _options.PlanningTimeout;
    }

    private void ApplyPlan(FeatureState saga, FeaturePlanned plan)
    {
        saga.Title = plan.Title;
        saga.Summary = plan.Summary;
        saga.Interface = plan.Interface;
        saga.InstructionFiles = [.. plan.InstructionFiles ?? []];
        saga.Usage += plan.Usage;
        saga.StageDeadline = null;
        saga.UpdatedAt = _time.GetUtcNow();
        saga.Tasks = FeaturePlan.From(plan.Tasks);
    }

    private static void UseWorkRepository(FeatureState saga, WorkRepositoryPrepared prepared)
    {
        saga.WorkRepository = prepared.WorkRepository;
        saga.StagingKey = prepared.StagingKey;
    }

    private async Task StartWhenReady(BehaviorContext<FeatureState> context)
    {
        var saga = context.Saga;
        if (saga.Tasks.Count > 0 && saga.Usage.TotalTokens >= saga.TokenBudget)
        {
            await Fail(context, $"Token budget exceeded: planning alone spent {saga.Usage.TotalTokens} of the feature's {saga.TokenBudget} tokens.");
            return;
        }

        if (saga.Tasks.Count > 0 && saga.WorkRepository is not null && saga.RequiresPlanApproval)
        {
            await AwaitPlanApproval(context);
        }
        else if (saga.Tasks.Count > 0 && saga.WorkRepository is not null)
        {
            await context.TransitionToState(Executing);
            await DispatchReadyTasks(context);
        }
    }

    private void CompleteTask(FeatureState saga, TaskCompleted message)
    {
        var now = _time.GetUtcNow();
        saga.Plan[message.TaskId].Complete(message, now);
        saga.Usage += message.Usage;
        saga.UpdatedAt = now;
    }

    private async Task DispatchReadyTasks(BehaviorContext<FeatureState> context)
    {
        foreach (var task in context.Saga.Plan.ReadyToStart())
        {
            await Dispatch(context, task);
        }
    }

    /// <summary>Starts the task's next attempt and sends it to its role's agent service, where it is queued until taken.</summary>
    private async Task Dispatch(BehaviorContext<FeatureState> context, FeatureTask task)
    {
        var saga = context.Saga;
        var now = _time.GetUtcNow();
        task.StartAttempt(saga.TaskBranch(task.TaskId), now, now + _options.TaskTimeout);
        saga.UpdatedAt = now;
        var share = saga.Plan.TokenShare(saga.TokenBudget, saga.Usage.TotalTokens);
        await _roles.RouteFor(task.Role).SendAsync(context, saga.AssignmentFor(task, share, _options.HeartbeatInterval), context.CancellationToken);
    }

    private async Task RetryOrFail(
        BehaviorContext<FeatureState> context, string taskId, string reason, TokenUsage usage, bool budgetExceeded = false)
    {
        var saga = context.Saga;
        var task = saga.Plan[taskId];
        task.Usage += usage;
        saga.Usage += usage;
        task.FailureReason = reason;
        if (budgetExceeded)
        {
            task.End(FeatureTaskState.Failed, reason, _time.GetUtcNow());
            var shortfall = $"Token budget exceeded: task '{task.TaskId}' ({task.Role}) ran out of its share ({reason}); " +
                $"the feature spent {saga.Usage.TotalTokens} of its {saga.TokenBudget} tokens.";
            await (_options.ApproveBudgetIncrease ? AwaitBudget(context, shortfall) : Fail(context, shortfall));
        }
        else if (task.Attempts < _options.MaxTaskAttempts)
        {
            await Dispatch(context, task);
        }
        else
        {
            task.End(FeatureTaskState.Failed, reason, _time.GetUtcNow());
            var failure = $"Task '{task.TaskId}' ({task.Role}) failed after {Count(task.Attempts, "attempt")}: {reason}";
            await Fail(context, task.Kind == TaskKind.ResolveConflicts
                ? $"The merge conflicts in {string.Join(", ", saga.ConflictingFiles)} could not be resolved. {failure}"
                : failure);
        }
    }

    private async Task ResolveConflictsOrFail(BehaviorContext<FeatureState, MergeConflicted> context)
    {
        var saga = context.Saga;
        var conflict = context.Message;
        saga.ConflictingFiles = [.. conflict.ConflictingFiles];
        if (saga.ConflictRounds >= _options.MaxConflictRounds)
        {
            await Fail(context, $"Merge conflicts remain after {Count(saga.ConflictRounds, "resolution round")} in: " +
                $"{string.Join(", ", conflict.ConflictingFiles)} (task '{conflict.TaskId}').");
            return;
        }

        saga.ConflictRounds++;
        await StartRepair(context, RepairTask.ResolveConflicts(saga.ConflictRounds, conflict));
    }

    private async Task FixOrFail(BehaviorContext<FeatureState, VerificationFailed> context)
    {
        var saga = context.Saga;
        var verification = context.Message.Verification;
        saga.Verification = verification;
        if (saga.FixRounds >= _options.MaxFixRounds)
        {
            await Fail(context, $"Verification of the merged branch still fails after {Count(saga.FixRounds, "fix round")}: " +
                $"`{verification.Command}`\n{verification.Summary}");
            return;
        }

        saga.FixRounds++;
        await StartRepair(context, RepairTask.FixVerification(saga.FixRounds, verification));
    }

    /// <summary>Back to Executing with one Coder task; when it completes the feature is consolidated again.</summary>
    private async Task StartRepair(BehaviorContext<FeatureState> context, RepairTask repair)
    {
        var task = context.Saga.Plan.AddRepairTask(repair);
        context.Saga.StageDeadline = null;
        await context.TransitionToState(Executing);
        await Dispatch(context, task);
    }

    private void RecordPullRequest(FeatureState saga, PullRequestOpened opened)
    {
        saga.PullRequest = opened.PullRequest;
        saga.Verification = opened.Verification;
        saga.PullRequestHead = opened.Verification.Commit;
        saga.MergedTasks = saga.Tasks.Where(t => t.State == FeatureTaskState.Completed && t.Kind != TaskKind.Review).Select(t => t.TaskId).ToList();
        saga.StageDeadline = null;
        saga.UpdatedAt = _time.GetUtcNow();
    }

    private async Task FailOnFault<T>(BehaviorContext<FeatureState> context, TaskAssignment assignment, Fault<T> fault)
    {
        var plan = context.Saga.Plan;
        if (plan.IsCurrentAttempt(assignment.TaskId, assignment.Attempt))
        {
            var task = plan[assignment.TaskId];
            task.End(FeatureTaskState.Failed, FaultReason(fault), _time.GetUtcNow());
            await Fail(context, $"Task '{task.TaskId}' ({task.Role}) crashed: {task.FailureReason}");
        }
    }

    private void Cancel(FeatureState saga, string reason)
    {
        StopTasks(saga, FeatureTaskState.Cancelled, "the feature was cancelled");
        saga.FailureReason = $"Cancelled: {reason}";
    }

    private async Task Fail(BehaviorContext<FeatureState> context, string reason)
    {
        var saga = context.Saga;
        StopTasks(saga, FeatureTaskState.Cancelled, "another part of the feature failed");
        saga.FailureReason = reason;
        await context.TransitionToState(Failed);
        await context.Publish(new FeatureFailed(saga.CorrelationId, reason) { SubmittedAt = saga.SubmittedAt, EndedAt = saga.UpdatedAt });
    }

    private void StopTasks(FeatureState saga, FeatureTaskState state, string reason)
    {
        var now = _time.GetUtcNow();
        saga.Plan.StopOpenTasks(state, reason, now);
        saga.StageDeadline = null;
        saga.UpdatedAt = now;
    }

    private string? CostOf(FeatureState saga) =>
        _prices.CostOf(saga.Model.Description, saga.Usage) is { } cost ? $"{cost} {_prices.Currency}" : null;

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string FaultReason<T>(Fault<T> fault)
    {
        if (fault.Exceptions.FirstOrDefault() is not { } exception)
        {
            return "the consumer faulted without an exception";
        }

        // A saga's exception reaches the fault wrapped by MassTransit ("The X<X> (Event) execution faulted"), which
        // says nothing about what went wrong: the reason names the exception inside.
        while (exception.ExceptionType.StartsWith("MassTransit.", StringComparison.Ordinal) && exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return $"{exception.ExceptionType.Split('.').Last()}: {exception.Message}";
    }
}
