using Orchestrator.Contracts;

namespace Orchestrator.Features;

/// <summary>
/// The task graph of one feature and the rules over it: which tasks may start, in which order their work is merged,
/// what share of the token budget each gets, and how a repair task joins the graph. Pure: no messages, no clock.
/// </summary>
public sealed class FeaturePlan(List<FeatureTask> tasks)
{
    public IReadOnlyList<FeatureTask> Tasks => tasks;

    /// <summary>The planner's tasks, all pending.</summary>
    public static List<FeatureTask> From(IEnumerable<PlannedTask> planned) =>
        planned.Select(t => new FeatureTask
        {
            TaskId = t.TaskId,
            Role = t.Role,
            Title = t.Title,
            Instructions = t.Instructions,
            DependsOn = [.. t.DependsOn],
            Files = [.. t.Files ?? []],
            State = FeatureTaskState.Pending,
        }).ToList();

    public FeatureTask? Find(string taskId) => tasks.Find(t => t.TaskId == taskId);

    public FeatureTask this[string taskId] =>
        Find(taskId) ?? throw new InvalidOperationException($"The plan has no task '{taskId}'.");

    /// <summary>
    /// A result or a heartbeat counts only for the attempt that is out now (queued or running); late and duplicate ones,
    /// and those of superseded attempts, do not.
    /// </summary>
    public bool IsCurrentAttempt(string taskId, int attempt) =>
        Find(taskId) is { IsDispatched: true } task && task.Attempts == attempt;

    /// <summary>
    /// A loss report counts only for the current attempt while it runs, and only if nothing was heard from it since the
    /// monitor looked (a heartbeat that arrived in between makes the report stale).
    /// </summary>
    public bool IsSilentSince(string taskId, int attempt, DateTimeOffset lastSeen) =>
        Find(taskId) is { State: FeatureTaskState.Running, LastSeen: { } seen } task && task.Attempts == attempt && seen <= lastSeen;

    /// <summary>
    /// The tasks whose work makes the feature: all but the reviews, which produce no branch to merge (a review is in
    /// <see cref="Tasks"/> so its liveness, deadline and transcript are watched like any task's).
    /// </summary>
    private List<FeatureTask> Work => tasks.FindAll(t => t.Kind != TaskKind.Review);

    public bool AllCompleted => Work is { Count: > 0 } work && work.TrueForAll(t => t.State == FeatureTaskState.Completed);

    /// <summary>Pending tasks whose dependencies are all completed, in plan order: they can all run at once.</summary>
    public IReadOnlyList<FeatureTask> ReadyToStart()
    {
        var completed = tasks.Where(t => t.State == FeatureTaskState.Completed).Select(t => t.TaskId).ToHashSet(StringComparer.Ordinal);
        return Work.Where(t => t.State == FeatureTaskState.Pending && t.DependsOn.All(completed.Contains)).ToList();
    }

    /// <summary>Every task after its dependencies (plan order among equals): the order their branches are merged in.</summary>
    public IReadOnlyList<FeatureTask> InDependencyOrder()
    {
        var work = Work;
        var ordered = new List<FeatureTask>(work.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (ordered.Count < work.Count)
        {
            var next = work.FirstOrDefault(t => !placed.Contains(t.TaskId) && t.DependsOn.All(placed.Contains))
                ?? throw new InvalidOperationException("The plan has a dependency cycle.");
            ordered.Add(next);
            placed.Add(next.TaskId);
        }

        return ordered;
    }

    /// <summary>The branches of a task's dependencies, merged into its workspace before it starts.</summary>
    public IReadOnlyList<string> DependencyBranches(FeatureTask task) =>
        task.DependsOn.Select(d => this[d].Branch ?? throw new InvalidOperationException($"Task '{d}' has no branch yet.")).ToList();

    /// <summary>
    /// What one task may spend: what remains of the budget, shared equally by the tasks not yet finished (the one
    /// about to start included), so an early task cannot starve the later ones.
    /// </summary>
    public long TokenShare(long budget, long spent)
    {
        var remaining = Math.Max(0, budget - spent);
        var open = Math.Max(1, tasks.Count(t => t.IsOpen));
        return remaining / open;
    }

    /// <summary>Adds a Coder task that builds on every completed task (in merge order); it is the next to run.</summary>
    public FeatureTask AddRepairTask(RepairTask repair)
    {
        var task = new FeatureTask
        {
            TaskId = repair.TaskId,
            Role = AgentRole.Coder,
            Kind = repair.Kind,
            Title = repair.Title,
            Instructions = repair.Instructions,
            DependsOn = InDependencyOrder().Where(t => t.State == FeatureTaskState.Completed).Select(t => t.TaskId).ToList(),
            State = FeatureTaskState.Pending,
        };
        tasks.Add(task);
        return task;
    }

    /// <summary>Adds the review of round <paramref name="round"/>: the Reviewer's task, dispatched at once.</summary>
    public FeatureTask AddReviewTask(int round)
    {
        var task = new FeatureTask
        {
            TaskId = $"review-{round}",
            Role = AgentRole.Reviewer,
            Kind = TaskKind.Review,
            Title = round == 1 ? "Review the merged result" : $"Review the merged result again (round {round})",
            State = FeatureTaskState.Pending,
        };
        tasks.Add(task);
        return task;
    }

    /// <summary>Ends every task that has not finished, keeping a reason a task already has.</summary>
    public void StopOpenTasks(FeatureTaskState state, string reason, DateTimeOffset now)
    {
        foreach (var task in tasks.Where(t => t.IsOpen))
        {
            task.End(state, task.FailureReason ?? reason, now);
        }
    }
}
