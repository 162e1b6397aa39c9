using MassTransit;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Messaging;

namespace Orchestrator.Features;

/// <summary>
/// Tracks each feature from request to pull request: Planning → Executing → Consolidating → Completed,
/// or Failed (with the reason) / Cancelled. It decides; consumers do the work. Every task whose dependencies are
/// done is dispatched at once, in parallel; task attempts are bounded; deadlines are enforced through
/// <see cref="TaskTimedOut"/> and <see cref="FeatureStageTimedOut"/> from the <see cref="DeadlineMonitor"/>.
/// </summary>
public sealed class FeatureStateMachine : MassTransitStateMachine<FeatureState>
{
    private readonly FeatureWorkflowOptions _options;
    private readonly TimeProvider _time;
    private readonly PriceTable _prices;

    public FeatureStateMachine(IOptions<FeatureWorkflowOptions> options, TimeProvider time, PriceTable prices)
    {
        _options = options.Value;
        _time = time;
        _prices = prices;

        InstanceState(x => x.CurrentState);

        Event(() => Submitted, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => Planned, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => PlanRejected, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => TaskCompleted, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => TaskFailed, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => TaskTimedOut, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => StageTimedOut, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => ImplementFaulted, e => e.CorrelateById(c => c.Message.Message.Task.FeatureId));
        Event(() => TestsFaulted, e => e.CorrelateById(c => c.Message.Message.Task.FeatureId));
        Event(() => DocsFaulted, e => e.CorrelateById(c => c.Message.Message.Task.FeatureId));
        Event(() => PlanningFaulted, e => e.CorrelateById(c => c.Message.Message.FeatureId));
        Event(() => PullRequestOpened, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => ConsolidationFailed, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => MergeConflicted, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => WorkRepositoryPrepared, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => WorkRepositoryFailed, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => PreparationFaulted, e => e.CorrelateById(c => c.Message.Message.FeatureId));
        Event(() => VerificationFailed, e => e.CorrelateById(c => c.Message.FeatureId));
        Event(() => ConsolidationFaulted, e => e.CorrelateById(c => c.Message.Message.FeatureId));
        Event(() => CancelRequested, e => e.CorrelateById(c => c.Message.FeatureId));

        // Late and duplicate messages (a redelivered TaskCompleted, a result after cancellation) change nothing.
        OnUnhandledEvent(context => context.Ignore());

        Initially(
            When(Submitted)
                .Then(context => Accept(context.Saga, context.Message))
                .TransitionTo(Planning)
                .Respond(context => new FeatureAccepted(context.Saga.CorrelationId, nameof(Planning)))
                .SendAsync(
                    Queues.Address(Queues.Planner),
                    context => Task.FromResult(new PlanFeature(
                        context.Saga.CorrelationId, context.Saga.Repository, context.Saga.BaseBranch, context.Saga.Request, context.Saga.Model)))
                .SendAsync(
                    Queues.Address(Queues.MergePrepare),
                    context => Task.FromResult(new PrepareWorkRepository(context.Saga.CorrelationId, context.Saga.Repository, context.Saga.BaseBranch))));

        During(Planning,
            // Planning and preparing the work repository run side by side; execution starts when both are done.
            When(Planned)
                .Then(context => ApplyPlan(context.Saga, context.Message))
                .ThenAsync(StartWhenReady),
            When(WorkRepositoryPrepared)
                .Then(context => context.Saga.WorkRepository = context.Message.WorkRepository)
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

        During(Executing,
            When(TaskCompleted, context => IsCurrentAttempt(context.Saga, context.Message.TaskId, context.Message.Attempt))
                .Then(context => CompleteTask(context.Saga, context.Message))
                .IfElse(context => context.Saga.Tasks.TrueForAll(t => t.State == FeatureTaskState.Completed),
                    allDone => allDone
                        .Then(context => context.Saga.StageDeadline = _time.GetUtcNow() + _options.ConsolidationTimeout)
                        .TransitionTo(Consolidating)
                        .SendAsync(Queues.Address(Queues.Merge), context => Task.FromResult(Consolidation(context.Saga, _prices))),
                    more => more.ThenAsync(DispatchReadyTasks)),
            When(TaskFailed, context => IsCurrentAttempt(context.Saga, context.Message.TaskId, context.Message.Attempt))
                .ThenAsync(context => RetryOrFail(
                    context, context.Message.TaskId, context.Message.Reason, context.Message.Usage, context.Message.BudgetExceeded)),
            When(TaskTimedOut, context => IsCurrentAttempt(context.Saga, context.Message.TaskId, context.Message.Attempt))
                .ThenAsync(context => RetryOrFail(context, context.Message.TaskId,
                    $"timed out: no result within {_options.TaskTimeout}", TokenUsage.None)),
            When(ImplementFaulted).ThenAsync(context => FailOnFault(context, context.Message.Message.Task, context.Message)),
            When(TestsFaulted).ThenAsync(context => FailOnFault(context, context.Message.Message.Task, context.Message)),
            When(DocsFaulted).ThenAsync(context => FailOnFault(context, context.Message.Message.Task, context.Message)));

        During(Consolidating,
            When(PullRequestOpened)
                .Then(context =>
                {
                    context.Saga.PullRequest = context.Message.PullRequest;
                    context.Saga.Verification = context.Message.Verification;
                    context.Saga.StageDeadline = null;
                    context.Saga.UpdatedAt = _time.GetUtcNow();
                })
                .TransitionTo(Completed)
                .Publish(context => new FeatureCompleted(context.Saga.CorrelationId, context.Message.PullRequest)
                {
                    TaskBranches = context.Saga.Tasks.Where(t => t.Branch is not null).Select(t => t.Branch!).ToList(),
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
                .ThenAsync(context => Fail(context, $"Consolidation did not finish within {_options.ConsolidationTimeout}.")));

        During(Planning, Executing, Consolidating,
            When(CancelRequested)
                .Then(context =>
                {
                    StopTasks(context.Saga, FeatureTaskState.Cancelled, "the feature was cancelled");
                    context.Saga.FailureReason = $"Cancelled: {context.Message.Reason}";
                })
                .TransitionTo(Cancelled)
                .Publish(context => new FeatureCancelled(context.Saga.CorrelationId, context.Message.Reason)));

        // A repeated submission (a client retrying with the same id) gets the feature's current state, nothing else.
        DuringAny(
            When(Submitted).Respond(context => new FeatureAccepted(context.Saga.CorrelationId, context.Saga.CurrentState)));
    }

    public State Planning { get; private set; } = null!;
    public State Executing { get; private set; } = null!;
    public State Consolidating { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Failed { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;

    public Event<SubmitFeature> Submitted { get; private set; } = null!;
    public Event<FeaturePlanned> Planned { get; private set; } = null!;
    public Event<FeaturePlanRejected> PlanRejected { get; private set; } = null!;
    public Event<Fault<PlanFeature>> PlanningFaulted { get; private set; } = null!;
    public Event<TaskCompleted> TaskCompleted { get; private set; } = null!;
    public Event<TaskFailed> TaskFailed { get; private set; } = null!;
    public Event<TaskTimedOut> TaskTimedOut { get; private set; } = null!;
    public Event<FeatureStageTimedOut> StageTimedOut { get; private set; } = null!;
    public Event<Fault<ImplementTask>> ImplementFaulted { get; private set; } = null!;
    public Event<Fault<WriteTests>> TestsFaulted { get; private set; } = null!;
    public Event<Fault<WriteDocs>> DocsFaulted { get; private set; } = null!;
    public Event<PullRequestOpened> PullRequestOpened { get; private set; } = null!;
    public Event<ConsolidationFailed> ConsolidationFailed { get; private set; } = null!;
    public Event<MergeConflicted> MergeConflicted { get; private set; } = null!;
    public Event<WorkRepositoryPrepared> WorkRepositoryPrepared { get; private set; } = null!;
    public Event<WorkRepositoryFailed> WorkRepositoryFailed { get; private set; } = null!;
    public Event<Fault<PrepareWorkRepository>> PreparationFaulted { get; private set; } = null!;
    public Event<VerificationFailed> VerificationFailed { get; private set; } = null!;
    public Event<Fault<ConsolidateFeature>> ConsolidationFaulted { get; private set; } = null!;
    public Event<CancelFeature> CancelRequested { get; private set; } = null!;

    /// <summary>The final states: nothing more happens to a feature in them.</summary>
    public static readonly IReadOnlySet<string> FinalStates = new HashSet<string>(StringComparer.Ordinal)
    {
        nameof(Completed), nameof(Failed), nameof(Cancelled),
    };

    private void Accept(FeatureState saga, SubmitFeature message)
    {
        saga.Repository = message.Repository;
        saga.BaseBranch = message.BaseBranch;
        saga.Request = message.Request;
        saga.Model = message.Model;
        saga.SubmittedAt = message.SubmittedAt;
        saga.Issue = message.Issue;
        saga.TokenBudget = message.TokenBudget ?? _options.DefaultTokenBudget;
        saga.UpdatedAt = _time.GetUtcNow();
        saga.StageDeadline = saga.UpdatedAt + _options.PlanningTimeout;
    }

    private void ApplyPlan(FeatureState saga, FeaturePlanned plan)
    {
        saga.Title = plan.Title;
        saga.Summary = plan.Summary;
        saga.Interface = plan.Interface;
        saga.Usage += plan.Usage;
        saga.StageDeadline = null;
        saga.UpdatedAt = _time.GetUtcNow();
        saga.Tasks = plan.Tasks.Select(t => new FeatureTask
        {
            TaskId = t.TaskId,
            Role = t.Role,
            Title = t.Title,
            Instructions = t.Instructions,
            DependsOn = [.. t.DependsOn],
            State = FeatureTaskState.Pending,
        }).ToList();
    }

    private async Task StartWhenReady(BehaviorContext<FeatureState> context)
    {
        if (context.Saga.Tasks.Count > 0 && context.Saga.Usage.TotalTokens >= context.Saga.TokenBudget)
        {
            await Fail(context, $"Token budget exceeded: planning alone spent {context.Saga.Usage.TotalTokens} of the feature's {context.Saga.TokenBudget} tokens.");
            return;
        }

        if (context.Saga.Tasks.Count > 0 && context.Saga.WorkRepository is not null)
        {
            await context.TransitionToState(Executing);
            await DispatchReadyTasks(context);
        }
    }

    private static bool IsCurrentAttempt(FeatureState saga, string taskId, int attempt) =>
        saga.FindTask(taskId) is { State: FeatureTaskState.Running } task && task.Attempts == attempt;

    private void CompleteTask(FeatureState saga, TaskCompleted message)
    {
        var task = saga.FindTask(message.TaskId)!;
        task.State = FeatureTaskState.Completed;
        task.Branch = message.Branch;
        task.Commit = message.Commit;
        task.Summary = message.Summary;
        task.ChangedFiles = [.. message.ChangedFiles];
        task.Usage += message.Usage;
        task.FinishedAt = _time.GetUtcNow();
        task.Deadline = null;
        saga.Usage += message.Usage;
        saga.UpdatedAt = task.FinishedAt.Value;
    }

    private async Task DispatchReadyTasks(BehaviorContext<FeatureState> context)
    {
        var saga = context.Saga;
        var completed = saga.Tasks.Where(t => t.State == FeatureTaskState.Completed).Select(t => t.TaskId).ToHashSet();
        foreach (var task in saga.Tasks.Where(t => t.State == FeatureTaskState.Pending && t.DependsOn.All(completed.Contains)).ToList())
        {
            await Dispatch(context, task);
        }
    }

    private async Task Dispatch(BehaviorContext<FeatureState> context, FeatureTask task)
    {
        var saga = context.Saga;
        var now = _time.GetUtcNow();
        task.State = FeatureTaskState.Running;
        task.Attempts++;
        task.Branch = saga.TaskBranch(task.TaskId);
        task.StartedAt = now;
        task.Deadline = now + _options.TaskTimeout;
        task.FailureReason = null;
        saga.UpdatedAt = now;

        var assignment = new TaskAssignment(
            saga.CorrelationId, task.TaskId, task.Attempts, task.Role, saga.WorkRepository ?? saga.Repository, saga.BaseBranch, task.Branch,
            saga.Request, task.Title, task.Instructions, saga.Interface,
            task.DependsOn.Select(d => saga.FindTask(d)!.Branch!).ToList(),
            saga.Model, task.Deadline.Value) { Kind = task.Kind, TokenBudget = TokenShare(saga) };

        switch (task.Role)
        {
            case AgentRole.Coder:
                await context.Send(Queues.Address(Queues.Coder), new ImplementTask(assignment));
                break;
            case AgentRole.Tester:
                await context.Send(Queues.Address(Queues.Tester), new WriteTests(assignment));
                break;
            case AgentRole.Docs:
                await context.Send(Queues.Address(Queues.Docs), new WriteDocs(assignment));
                break;
            default:
                throw new InvalidOperationException($"No agent for role {task.Role}.");
        }
    }

    /// <summary>
    /// The budget split across the work still to do: what remains of the feature's budget, shared equally by the tasks
    /// not yet completed (the one being dispatched included).
    /// </summary>
    private static long TokenShare(FeatureState saga)
    {
        var remaining = Math.Max(0, saga.TokenBudget - saga.Usage.TotalTokens);
        var open = Math.Max(1, saga.Tasks.Count(t => t.State is FeatureTaskState.Pending or FeatureTaskState.Running));
        return remaining / open;
    }

    private async Task RetryOrFail(
        BehaviorContext<FeatureState> context, string taskId, string reason, TokenUsage usage, bool budgetExceeded = false)
    {
        var saga = context.Saga;
        var task = saga.FindTask(taskId)!;
        task.Usage += usage;
        saga.Usage += usage;
        task.FailureReason = reason;
        if (budgetExceeded)
        {
            EndTask(task, FeatureTaskState.Failed, reason);
            await Fail(context,
                $"Token budget exceeded: task '{task.TaskId}' ({task.Role}) ran out of its share ({reason}); " +
                $"the feature spent {saga.Usage.TotalTokens} of its {saga.TokenBudget} tokens.");
            return;
        }

        if (task.Attempts < _options.MaxTaskAttempts)
        {
            await Dispatch(context, task);
            return;
        }

        EndTask(task, FeatureTaskState.Failed, reason);
        var attempts = task.Attempts == 1 ? "1 attempt" : $"{task.Attempts} attempts";
        var failure = $"Task '{task.TaskId}' ({task.Role}) failed after {attempts}: {reason}";
        await Fail(context, task.Kind == TaskKind.ResolveConflicts
            ? $"The merge conflicts in {string.Join(", ", saga.ConflictingFiles)} could not be resolved. {failure}"
            : failure);
    }

    private async Task ResolveConflictsOrFail(BehaviorContext<FeatureState, MergeConflicted> context)
    {
        var saga = context.Saga;
        var conflict = context.Message;
        saga.ConflictingFiles = [.. conflict.ConflictingFiles];
        var files = string.Join(", ", conflict.ConflictingFiles);
        if (saga.ConflictRounds >= _options.MaxConflictRounds)
        {
            var rounds = saga.ConflictRounds == 1 ? "1 resolution round" : $"{saga.ConflictRounds} resolution rounds";
            await Fail(context, $"Merge conflicts remain after {rounds} in: {files} (task '{conflict.TaskId}').");
            return;
        }

        saga.ConflictRounds++;
        await AddRepairTask(context, TaskKind.ResolveConflicts, $"resolve-conflicts-{saga.ConflictRounds}",
            $"Resolve the merge conflicts in {files}",
            $"""
            The task branches conflict when they are merged: the branch of task '{conflict.TaskId}' conflicts with the work
            merged before it in: {files}.
            Your workspace has the task branches merged in plan order; the merge that conflicts is left in progress, with
            git's conflict markers in the conflicting files. Edit those files so that the intent of both sides is kept and no
            conflict marker (<<<<<<<, =======, >>>>>>>) remains, then run the build.

            The conflicting hunks:
            ```
            {conflict.Conflicts}
            ```
            """);
    }

    private async Task FixOrFail(BehaviorContext<FeatureState, VerificationFailed> context)
    {
        var saga = context.Saga;
        var verification = context.Message.Verification;
        saga.Verification = verification;
        if (saga.FixRounds >= _options.MaxFixRounds)
        {
            var rounds = saga.FixRounds == 1 ? "1 fix round" : $"{saga.FixRounds} fix rounds";
            await Fail(context, $"Verification of the merged branch still fails after {rounds}: `{verification.Command}`\n{verification.Summary}");
            return;
        }

        saga.FixRounds++;
        await AddRepairTask(context, TaskKind.FixVerification, $"fix-verification-{saga.FixRounds}",
            $"Make `{verification.Command}` pass on the merged branch",
            $"""
            The merged branch of this feature fails its verification: `{verification.Command}`.
            Your workspace has the work of every task merged. Change the code so that the verification passes. Do not
            delete, skip or weaken tests to get there: if a test is wrong, fix it so it checks what the request asks.

            The output:
            ```
            {verification.Summary}
            ```
            """);
    }

    /// <summary>A Coder task that depends on every completed task; when it completes the feature is consolidated again.</summary>
    private async Task AddRepairTask(BehaviorContext<FeatureState> context, TaskKind kind, string taskId, string title, string instructions)
    {
        var saga = context.Saga;
        var task = new FeatureTask
        {
            TaskId = taskId,
            Role = AgentRole.Coder,
            Kind = kind,
            Title = title,
            Instructions = instructions,
            DependsOn = TopologicalOrder(saga.Tasks).Where(t => t.State == FeatureTaskState.Completed).Select(t => t.TaskId).ToList(),
            State = FeatureTaskState.Pending,
        };
        saga.Tasks.Add(task);
        saga.StageDeadline = null;
        await context.TransitionToState(Executing);
        await Dispatch(context, task);
    }

    private async Task FailOnFault<T>(BehaviorContext<FeatureState> context, TaskAssignment assignment, Fault<T> fault)
    {
        if (IsCurrentAttempt(context.Saga, assignment.TaskId, assignment.Attempt))
        {
            var task = context.Saga.FindTask(assignment.TaskId)!;
            EndTask(task, FeatureTaskState.Failed, FaultReason(fault));
            await Fail(context, $"Task '{task.TaskId}' ({task.Role}) crashed: {task.FailureReason}");
        }
    }

    private async Task Fail(BehaviorContext<FeatureState> context, string reason)
    {
        var saga = context.Saga;
        StopTasks(saga, FeatureTaskState.Cancelled, "another part of the feature failed");
        saga.FailureReason = reason;
        saga.StageDeadline = null;
        saga.UpdatedAt = _time.GetUtcNow();
        await context.TransitionToState(Failed);
        await context.Publish(new FeatureFailed(saga.CorrelationId, reason));
    }

    /// <summary>A task that will not run again: its final state, why, when; no deadline left to watch.</summary>
    private void EndTask(FeatureTask task, FeatureTaskState state, string reason)
    {
        task.State = state;
        task.FailureReason = reason;
        task.Deadline = null;
        task.FinishedAt = _time.GetUtcNow();
    }

    private void StopTasks(FeatureState saga, FeatureTaskState state, string reason)
    {
        foreach (var task in saga.Tasks.Where(t => t.State is FeatureTaskState.Running or FeatureTaskState.Pending))
        {
            EndTask(task, state, task.FailureReason ?? reason);
        }

        saga.StageDeadline = null;
        saga.UpdatedAt = _time.GetUtcNow();
    }

    private static string FaultReason<T>(Fault<T> fault) =>
        fault.Exceptions.FirstOrDefault() is { } exception
            ? $"{exception.ExceptionType.Split('.').Last()}: {exception.Message}"
            : "the consumer faulted without an exception";

    private static ConsolidateFeature Consolidation(FeatureState saga, PriceTable prices) => new(
        saga.CorrelationId,
        saga.Repository,
        saga.BaseBranch,
        saga.FeatureBranch,
        saga.Title ?? saga.Request,
        saga.Summary ?? string.Empty,
        saga.Request,
        TopologicalOrder(saga.Tasks).Select(t => new TaskBranch(
            t.TaskId, t.Role, t.Title, t.Branch!, t.Commit!, t.Summary ?? string.Empty, t.DependsOn, t.Attempts, t.Usage,
            (t.FinishedAt ?? t.StartedAt ?? saga.UpdatedAt) - (t.StartedAt ?? saga.UpdatedAt))).ToList(),
        saga.Model,
        saga.Usage)
    {
        Issue = saga.Issue,
        WorkRepository = saga.WorkRepository,
        Cost = prices.CostOf(saga.Model.Description, saga.Usage) is { } cost ? $"{cost} {prices.Currency}" : null,
    };

    /// <summary>Tasks in an order where every task comes after its dependencies (plan order among equals).</summary>
    public static IReadOnlyList<FeatureTask> TopologicalOrder(IReadOnlyList<FeatureTask> tasks)
    {
        var ordered = new List<FeatureTask>(tasks.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (ordered.Count < tasks.Count)
        {
            var next = tasks.FirstOrDefault(t => !placed.Contains(t.TaskId) && t.DependsOn.All(placed.Contains))
                ?? throw new InvalidOperationException("The plan has a dependency cycle.");
            ordered.Add(next);
            placed.Add(next.TaskId);
        }

        return ordered;
    }
}
