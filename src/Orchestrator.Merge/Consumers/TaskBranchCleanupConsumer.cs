using MassTransit;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Staging;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Consumers;

/// <summary>
/// Deletes a completed feature's task branches (<c>Merge:DeleteTaskBranches</c>). It runs on <see cref="FeatureCompleted"/>,
/// after the saga recorded the pull request, so a redelivered consolidation never finds its inputs gone first.
/// </summary>
public sealed partial class TaskBranchCleanupConsumer(
    ProcessRunner processes,
    ForgeAccess forge,
    IOptions<MergeOptions> options,
    IOptions<StagingOptions> staging,
    ILogger<TaskBranchCleanupConsumer> logger) : IConsumer<FeatureCompleted>
{
    public async Task Consume(ConsumeContext<FeatureCompleted> context)
    {
        var message = context.Message;
        // With staging the task branches never reached the target repository (StagingCleanupConsumer removes them).
        if (staging.Value.Enabled || !options.Value.DeleteTaskBranches || message.TaskBranches.Count == 0)
        {
            return;
        }

        try
        {
            await GitRemote.DeleteBranchesAsync(processes, message.PullRequest.Repository, message.TaskBranches,
                forge.GitEnvironmentFor(message.PullRequest.Repository), context.CancellationToken);
            LogDeleted(logger, message.FeatureId, message.TaskBranches.Count);
        }
        catch (GitCommandException ex)
        {
            // Already deleted (a redelivery) or not permitted: the pull request is unaffected either way.
            LogNotDeleted(logger, message.FeatureId, ex.Output);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: deleted {Count} task branches")]
    private static partial void LogDeleted(ILogger logger, Guid featureId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: task branches not deleted: {Output}")]
    private static partial void LogNotDeleted(ILogger logger, Guid featureId, string output);
}
