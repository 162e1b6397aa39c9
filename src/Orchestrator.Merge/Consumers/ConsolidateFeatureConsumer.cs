using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Consumers;

public sealed class ConsolidateFeatureConsumer(FeatureConsolidator consolidator) : IConsumer<ConsolidateFeature>
{
    public async Task Consume(ConsumeContext<ConsolidateFeature> context)
    {
        ConsolidationOutcome outcome;
        try
        {
            outcome = await consolidator.ConsolidateAsync(context.Message, context.CancellationToken);
        }
        catch (GitCommandException ex)
        {
            outcome = new ConsolidationOutcome.Refused($"git failed: {ex.Message}", []);
        }

        switch (outcome)
        {
            case ConsolidationOutcome.Opened opened:
                await context.Publish(new PullRequestOpened(context.Message.FeatureId, opened.PullRequest, opened.Verification));
                break;
            case ConsolidationOutcome.Conflicted conflicted:
                await context.Publish(new MergeConflicted(
                    context.Message.FeatureId, conflicted.TaskId, conflicted.ConflictingFiles, conflicted.Conflicts));
                break;
            case ConsolidationOutcome.Unverified failed:
                await context.Publish(new VerificationFailed(context.Message.FeatureId, failed.Verification));
                break;
            case ConsolidationOutcome.Refused refused:
                await context.Publish(new ConsolidationFailed(context.Message.FeatureId, refused.Reason, refused.ConflictingFiles));
                break;
        }
    }
}
