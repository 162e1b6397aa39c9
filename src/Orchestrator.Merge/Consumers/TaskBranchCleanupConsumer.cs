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

        // `git push --delete` needs a repository to run in, not a clone: an empty one will do.
        var scratch = Directory.CreateTempSubdirectory("orchestrator-cleanup-").FullName;
        try
        {
            var git = new GitRepository(processes, scratch, forge.GitEnvironmentFor(message.PullRequest.Repository));
            await git.RunAsync(context.CancellationToken, "init", "--quiet");
            var result = await git.TryRunAsync(context.CancellationToken,
                ["push", message.PullRequest.Repository, "--delete", .. message.TaskBranches.Select(b => $"refs/heads/{b}")]);
            if (result.Succeeded)
            {
                LogDeleted(logger, message.FeatureId, message.TaskBranches.Count);
            }
            else
            {
                // Already deleted (a redelivery) or not permitted: the pull request is unaffected either way.
                LogNotDeleted(logger, message.FeatureId, result.Output);
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: deleted {Count} task branches")]
    private static partial void LogDeleted(ILogger logger, Guid featureId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: task branches not deleted: {Output}")]
    private static partial void LogNotDeleted(ILogger logger, Guid featureId, string output);
}
