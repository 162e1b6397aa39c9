using MassTransit;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Staging;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Consumers;

/// <summary>
/// Makes the repository a feature's agents work against: with staging on, a bare copy of the base branch served by
/// this service (<see cref="GitHttpBackend"/>); otherwise the target repository itself. Preparing a feature again
/// (a redelivery) fetches its base branch again, one preparation of a feature at a time.
/// </summary>
public sealed partial class PrepareWorkRepositoryConsumer(
    ProcessRunner processes,
    ForgeAccess forge,
    StagingKeys keys,
    StagingRepositoryLocks locks,
    IOptions<StagingOptions> options,
    ILogger<PrepareWorkRepositoryConsumer> logger) : IConsumer<PrepareWorkRepository>
{
    public Task Consume(ConsumeContext<PrepareWorkRepository> context) =>
        PrepareAsync(context.Message, message => context.Publish(message, message.GetType()), context.CancellationToken);

    public async Task PrepareAsync(PrepareWorkRepository message, Func<object, Task> publish, CancellationToken cancellationToken)
    {
        var staging = options.Value;
        if (!staging.Enabled)
        {
            await publish(new WorkRepositoryPrepared(message.FeatureId, message.Repository));
            return;
        }

        var path = staging.RepositoryPath(message.FeatureId);
        using var alone = await locks.AcquireAsync(message.FeatureId, cancellationToken);
        if (!File.Exists(Path.Combine(path, "HEAD")))
        {
            await GitRepository.InitBareAsync(processes, path, initialBranch: null, cancellationToken);
        }

        // Redelivery refetches into the same repository: idempotent.
        var bare = new GitRepository(processes, path, forge.GitEnvironmentFor(message.Repository));
        try
        {
            await bare.FetchBranchFromAsync(message.Repository, message.BaseBranch, cancellationToken);
        }
        catch (GitCommandException ex)
        {
            // The repository was checked when the feature was accepted; it may have moved or gone since.
            await publish(new WorkRepositoryFailed(message.FeatureId,
                $"the base branch '{message.BaseBranch}' of '{message.Repository}' could not be fetched: {ex.Output}"));
            return;
        }

        if (message.SeedBranch is { } seed && !await TrySeedAsync(bare, message, seed, publish, cancellationToken))
        {
            return;
        }

        await bare.SetHeadAsync(message.BaseBranch, cancellationToken);
        StagingMarker.WritePrepared(path, DateTimeOffset.UtcNow);
        var url = staging.RepositoryUrl(message.FeatureId);
        LogPrepared(logger, message.FeatureId, url);

        // The saga keeps the key and derives each task attempt's credential from it (StagingCredentials).
        await publish(new WorkRepositoryPrepared(message.FeatureId, url) { StagingKey = keys.GetOrCreate(message.FeatureId) });
    }

    /// <summary>A follow-up builds on the pull request's branch: it must still be there (merged and deleted, it is not).</summary>
    private static async Task<bool> TrySeedAsync(
        GitRepository bare, PrepareWorkRepository message, string seed, Func<object, Task> publish, CancellationToken cancellationToken)
    {
        try
        {
            await bare.FetchBranchFromAsync(message.Repository, seed, cancellationToken);
            return true;
        }
        catch (GitCommandException ex)
        {
            await publish(new WorkRepositoryFailed(message.FeatureId,
                $"the pull request's branch '{seed}' could not be fetched from '{message.Repository}' (was it merged or deleted?): {ex.Output}"));
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: agents work against {Url}")]
    private static partial void LogPrepared(ILogger logger, Guid featureId, string url);
}
