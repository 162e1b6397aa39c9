using Orchestrator.Contracts;
using Orchestrator.Messaging;

namespace Orchestrator.Merge.Consumers;

/// <summary>
/// The outcome of each consolidation this service did, by what was consolidated: the feature, its target and every
/// task's commit. A <c>ConsolidateFeature</c> delivered again gets the first outcome again: a second run would merge and
/// verify once more and push a new commit over the one the feature completed with. A new round (after a repair task)
/// has another task commit, so it is consolidated.
/// </summary>
public sealed class ConsolidationAnswers(TimeProvider time) : AnswersGiven<string, ConsolidationOutcome>(time)
{
    public static string KeyOf(ConsolidateFeature request) =>
        $"{request.FeatureId:N} {request.Repository} {request.BaseBranch} {request.WorkRepository} {request.ReviewBranch} " +
        string.Join(' ', request.Tasks.Select(task => $"{task.TaskId}={task.Branch}@{task.Commit}"));

    /// <summary>The publishing of a reviewed commit, told apart from the consolidation that verified it.</summary>
    public static string KeyOf(PublishReviewedFeature request) =>
        $"publish {request.ReviewBranch}@{request.Verification.Commit} {KeyOf(request.Feature)}";
}
