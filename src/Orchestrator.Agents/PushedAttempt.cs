using System.Globalization;
using Orchestrator.Contracts;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents;

/// <summary>
/// The work a task attempt already pushed. A task command can arrive twice for one attempt (a lost acknowledgement, a
/// redelivery after a crash between the push and the report): doing the work again would spend the tokens again and
/// move the task branch off the commit the saga already accepted, so the consolidation would refuse it. The attempt's
/// commit names it in its trailers; finding it on the task branch, the agent reports it again instead.
/// </summary>
public static class PushedAttempt
{
    public const string FeatureTrailer = "Orchestrator-Feature";
    public const string TaskTrailer = "Orchestrator-Task";
    public const string AttemptTrailer = "Orchestrator-Attempt";
    public const string ModelTrailer = "Orchestrator-Model";

    /// <summary>The trailers that name <paramref name="task"/>'s attempt in its commit.</summary>
    public static CommitTrailer[] Trailers(TaskAssignment task) =>
    [
        new(FeatureTrailer, task.FeatureId.ToString()),
        new(TaskTrailer, task.TaskId),
        new(AttemptTrailer, task.Attempt.ToString(CultureInfo.InvariantCulture)),
        new(ModelTrailer, task.Model.Description),
    ];

    /// <summary>
    /// The completion of <paramref name="task"/>'s attempt if its commit is already the tip of the task branch on
    /// origin (the clone <paramref name="git"/> was made from), else null. It reports no tokens: none were spent now,
    /// and the saga counted the first report's.
    /// </summary>
    public static async Task<TaskCompleted?> FindAsync(GitRepository git, TaskAssignment task, CancellationToken cancellationToken)
    {
        if (!await git.RemoteBranchExistsAsync("origin", task.Branch, cancellationToken))
        {
            return null;
        }

        await git.FetchAsync(task.Branch, cancellationToken);
        var tip = await git.ReadCommitAsync($"origin/{task.Branch}", cancellationToken);
        if (tip.Trailer(FeatureTrailer) != task.FeatureId.ToString() || tip.Trailer(TaskTrailer) != task.TaskId
            || tip.Trailer(AttemptTrailer) != task.Attempt.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return new TaskCompleted(
            task.FeatureId, task.TaskId, task.Attempt, task.Branch, tip.Commit, tip.Body, tip.ChangedFiles, TokenUsage.None, task.Model.Description);
    }
}
