using MassTransit;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Merge.Staging;

namespace Orchestrator.Merge.Consumers;

/// <summary>
/// Deletes a feature's staging repository when the feature ends, whichever way — unless it was prepared again after
/// the feature completed, for a follow-up (<see cref="StagingMarker"/>).
/// </summary>
public sealed class StagingCleanupConsumer(IOptions<StagingOptions> options, StagingRepositoryLocks locks) :
    IConsumer<FeatureCompleted>, IConsumer<FeatureFailed>, IConsumer<FeatureCancelled>
{
    public Task Consume(ConsumeContext<FeatureCompleted> context) => DeleteAsync(context.Message.FeatureId, context.Message.EndedAt, context.CancellationToken);

    public Task Consume(ConsumeContext<FeatureFailed> context) => DeleteAsync(context.Message.FeatureId, endedAt: null, context.CancellationToken);

    public Task Consume(ConsumeContext<FeatureCancelled> context) => DeleteAsync(context.Message.FeatureId, endedAt: null, context.CancellationToken);

    /// <summary>Deletes the repository, unless it was prepared after <paramref name="endedAt"/> (the end of the feature being cleaned up after).</summary>
    public async Task DeleteAsync(Guid featureId, DateTimeOffset? endedAt, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        // Never while the repository is being prepared: a follow-up's preparation either finishes first (and its
        // marker keeps the repository) or starts after the deletion, in a fresh one.
        using var alone = await locks.AcquireAsync(featureId, cancellationToken);
        var path = options.Value.RepositoryPath(featureId);
        if (Directory.Exists(path) && !(endedAt is { } ended && StagingMarker.PreparedAfter(path, ended)))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
