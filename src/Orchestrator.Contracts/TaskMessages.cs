namespace Orchestrator.Contracts;

/// <summary>Everything an agent needs to carry out one task attempt. Shared by the role commands.</summary>
/// <param name="Branch">The task branch to create and push: <c>orchestrator/tasks/&lt;feature&gt;/&lt;task&gt;</c>.</param>
/// <param name="DependencyBranches">Branches of completed tasks this one builds on; merged into the workspace first.</param>
/// <param name="Interface">The plan's shared interface description, when it has one.</param>
public sealed record TaskAssignment(
    Guid FeatureId,
    string TaskId,
    int Attempt,
    AgentRole Role,
    string Repository,
    string BaseBranch,
    string Branch,
    string FeatureRequest,
    string Title,
    string Instructions,
    string? Interface,
    IReadOnlyList<string> DependencyBranches,
    ModelSelection Model,
    DateTimeOffset Deadline)
{
    /// <summary>What kind of work this is; a conflict resolution leaves merge conflicts in the workspace for the agent.</summary>
    public TaskKind Kind { get; init; } = TaskKind.Work;

    /// <summary>Most tokens this attempt may spend; null for no limit.</summary>
    public long? TokenBudget { get; init; }

    /// <summary>
    /// This attempt's credential for <see cref="Repository"/> when it is a staging repository (null otherwise): it
    /// reads that repository and pushes only <see cref="Branch"/>, until a later attempt of the task appears. Give it to
    /// git only as an HTTP header in the process environment; never log it or put it in a URL, an argument or a file.
    /// </summary>
    public string? StagingCredential { get; init; }

    /// <summary>
    /// How often the agent reports that it is still working on this attempt (<see cref="TaskHeartbeat"/>); decided by
    /// the orchestrator, so agents need no setting of their own. Null (a message from before heartbeats): none are sent.
    /// </summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>The files the plan says this task should touch (relative paths); empty when it names none.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    // A record prints every property: a logged assignment must not print its credential.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"FeatureId = {FeatureId}, TaskId = {TaskId}, Attempt = {Attempt}, Role = {Role}, Kind = {Kind}, ");
        builder.Append($"Repository = {Repository}, Branch = {Branch}, StagingCredential = {(StagingCredential is null ? "(none)" : "(set)")}");
        return true;
    }
}

/// <summary>The kinds of task an agent is given.</summary>
public enum TaskKind
{
    /// <summary>A task of the plan.</summary>
    Work,

    /// <summary>Merge the dependency branches and resolve their conflicts (sent to the Coder).</summary>
    ResolveConflicts,

    /// <summary>Make the merged result pass its verification (sent to the Coder).</summary>
    FixVerification,

    /// <summary>Change the feature's open pull request as a reviewer asked (sent to the Coder; builds on the pull request's branch).</summary>
    FollowUp,

    /// <summary>Review the verified, merged result (sent to the Reviewer; nothing is pushed).</summary>
    Review,

    /// <summary>Address the must-fix findings of a review (sent to the Coder; the feature is consolidated and reviewed again).</summary>
    AddressReview,
}

/// <summary>A command that hands one task attempt to the agent of its role.</summary>
public interface IAgentTaskCommand
{
    TaskAssignment Task { get; }
}

/// <summary>Sent to the Coder: implement production code.</summary>
public sealed record ImplementTask(TaskAssignment Task) : IAgentTaskCommand;

/// <summary>Sent to the Tester: write and run tests.</summary>
public sealed record WriteTests(TaskAssignment Task) : IAgentTaskCommand;

/// <summary>Sent to the Docs agent: update documentation.</summary>
public sealed record WriteDocs(TaskAssignment Task) : IAgentTaskCommand;

/// <summary>
/// Sent to the agent of a configured role (one that is not built in, e.g. <c>ops</c>) on that role's queue: carry out
/// the task. The built-in roles keep their own commands.
/// </summary>
public sealed record RunAgentTask(TaskAssignment Task) : IAgentTaskCommand;

/// <summary>An agent finished a task attempt and pushed its branch.</summary>
public sealed record TaskCompleted(
    Guid FeatureId,
    string TaskId,
    int Attempt,
    string Branch,
    string Commit,
    string Summary,
    IReadOnlyList<string> ChangedFiles,
    TokenUsage Usage,
    string Model)
{
    /// <summary>The repository's instruction files the agent was given (<c>AGENTS.md</c>, <c>CONTRIBUTING.md</c>, ...).</summary>
    public IReadOnlyList<string> InstructionFiles { get; init; } = [];
}

/// <summary>An agent could not finish a task attempt.</summary>
public sealed record TaskFailed(Guid FeatureId, string TaskId, int Attempt, string Reason, TokenUsage Usage)
{
    /// <summary>The attempt stopped because it spent its token budget; retrying would not help.</summary>
    public bool BudgetExceeded { get; init; }
}

/// <summary>Published by the orchestrator's deadline monitor when a running task attempt passed its deadline.</summary>
public sealed record TaskTimedOut(Guid FeatureId, string TaskId, int Attempt, DateTimeOffset Deadline);
