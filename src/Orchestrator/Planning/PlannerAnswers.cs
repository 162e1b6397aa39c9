using Orchestrator.Messaging;

namespace Orchestrator.Planning;

/// <summary>
/// The planner's answer (<c>FeaturePlanned</c> or <c>FeaturePlanRejected</c>) by feature. The saga asks for a plan
/// once per feature, so a <c>PlanFeature</c> that arrives again gets the first answer again, without a model call; the
/// saga keeps the first plan it got.
/// </summary>
public sealed class PlannerAnswers(TimeProvider time) : AnswersGiven<Guid, object>(time);
