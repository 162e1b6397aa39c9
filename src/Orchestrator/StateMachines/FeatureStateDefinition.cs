using System.Data.Common;
using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.StateMachines;

/// <summary>
/// The feature saga's endpoint and its failure policy (docs/architecture.md, "Failure policy"): messages of one feature
/// are handled one at a time in this process (partitioned by feature id); a concurrency conflict with another
/// orchestrator instance is retried on a fresh read; a failing state store is retried a few times; anything else is a
/// bug and goes to the <c>_error</c> queue at once. Messages the saga sends leave only after its state is saved.
/// </summary>
public sealed class FeatureStateDefinition : SagaDefinition<FeatureState>
{
    /// <summary>The saga's queue (and the exchange of the same name in front of it).</summary>
    public const string QueueName = "feature-state";

    private const int Partitions = 16;

    public FeatureStateDefinition() => Endpoint(e => e.Name = QueueName);

    protected override void ConfigureSaga(
        IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<FeatureState> sagaConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<ConcurrencyException>();
            retry.Intervals(10, 50, 100, 250, 500, 1000, 2000);
        });
        // Long enough to ride out a database restart or fail-over (about 36 s in all): the message waits unacknowledged
        // meanwhile, and the feature's other messages wait behind it in its partition, so nothing is lost or reordered.
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<DbException>();
            retry.Intervals(200, 1000, 5000, 10_000, 20_000);
        });
        endpointConfigurator.UseInMemoryOutbox(context);
        PartitionByFeature(endpointConfigurator.CreatePartitioner(Partitions), sagaConfigurator);
    }

    /// <summary>Every message the saga takes is handled in its feature's partition: one at a time per feature, in order.</summary>
    private static void PartitionByFeature(IPartitioner partition, ISagaConfigurator<FeatureState> sagaConfigurator)
    {
        void ByFeature<T>(Func<T, Guid> featureId) where T : class =>
            sagaConfigurator.Message<T>(m => m.UsePartitioner(partition, c => featureId(c.Message)));

        ByFeature<SubmitFeature>(m => m.FeatureId);
        ByFeature<FeaturePlanned>(m => m.FeatureId);
        ByFeature<FeaturePlanRejected>(m => m.FeatureId);
        ByFeature<Fault<PlanFeature>>(m => m.Message.FeatureId);
        ByFeature<WorkRepositoryPrepared>(m => m.FeatureId);
        ByFeature<WorkRepositoryFailed>(m => m.FeatureId);
        ByFeature<Fault<PrepareWorkRepository>>(m => m.Message.FeatureId);
        ByFeature<TaskCompleted>(m => m.FeatureId);
        ByFeature<TaskFailed>(m => m.FeatureId);
        ByFeature<TaskTimedOut>(m => m.FeatureId);
        ByFeature<TaskStarted>(m => m.FeatureId);
        ByFeature<TaskHeartbeat>(m => m.FeatureId);
        ByFeature<TaskLost>(m => m.FeatureId);
        ByFeature<Fault<ImplementTask>>(m => m.Message.Task.FeatureId);
        ByFeature<Fault<WriteTests>>(m => m.Message.Task.FeatureId);
        ByFeature<Fault<WriteDocs>>(m => m.Message.Task.FeatureId);
        ByFeature<Fault<RunAgentTask>>(m => m.Message.Task.FeatureId);
        ByFeature<PullRequestOpened>(m => m.FeatureId);
        ByFeature<MergeConflicted>(m => m.FeatureId);
        ByFeature<VerificationFailed>(m => m.FeatureId);
        ByFeature<ConsolidationFailed>(m => m.FeatureId);
        ByFeature<Fault<ConsolidateFeature>>(m => m.Message.FeatureId);
        ByFeature<ConsolidationStarted>(m => m.FeatureId);
        ByFeature<ConsolidationHeartbeat>(m => m.FeatureId);
        ByFeature<ConsolidationLost>(m => m.FeatureId);
        ByFeature<FeatureStageTimedOut>(m => m.FeatureId);
        ByFeature<CancelFeature>(m => m.FeatureId);
        ByFeature<ApproveFeature>(m => m.FeatureId);
        ByFeature<RejectFeature>(m => m.FeatureId);
        ByFeature<RequestFollowUp>(m => m.FeatureId);

        // The review (FeatureStateMachine.Review.cs).
        ByFeature<FeatureVerified>(m => m.FeatureId);
        ByFeature<FeatureReviewed>(m => m.FeatureId);
        ByFeature<Fault<ReviewFeature>>(m => m.Message.Task.FeatureId);
        ByFeature<Fault<PublishReviewedFeature>>(m => m.Message.Feature.FeatureId);
        ByFeature<Fault<FeatureVerified>>(m => m.Message.FeatureId);
        ByFeature<Fault<FeatureReviewed>>(m => m.Message.FeatureId);

        // Results the saga could not process (FeatureStateMachine.Poison.cs).
        ByFeature<Fault<FeaturePlanned>>(m => m.Message.FeatureId);
        ByFeature<Fault<WorkRepositoryPrepared>>(m => m.Message.FeatureId);
        ByFeature<Fault<TaskCompleted>>(m => m.Message.FeatureId);
        ByFeature<Fault<TaskFailed>>(m => m.Message.FeatureId);
        ByFeature<Fault<MergeConflicted>>(m => m.Message.FeatureId);
        ByFeature<Fault<VerificationFailed>>(m => m.Message.FeatureId);
        ByFeature<Fault<PullRequestOpened>>(m => m.Message.FeatureId);
    }
}
