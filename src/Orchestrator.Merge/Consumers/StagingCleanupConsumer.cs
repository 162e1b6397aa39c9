using MassTransit;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Merge.Staging;

namespace Orchestrator.Merge.Consumers;

/// <summary>Deletes a feature's staging repository when the feature ends, whichever way.</summary>
public sealed class StagingCleanupConsumer(IOptions<StagingOptions> options) :
    IConsumer<FeatureCompleted>, IConsumer<FeatureFailed>, IConsumer<FeatureCancelled>
{
    public Task Consume(ConsumeContext<FeatureCompleted> context) => Delete(context.Message.FeatureId);

    public Task Consume(ConsumeContext<FeatureFailed> context) => Delete(context.Message.FeatureId);

    public Task Consume(ConsumeContext<FeatureCancelled> context) => Delete(context.Message.FeatureId);

    private Task Delete(Guid featureId)
    {
        var path = options.Value.RepositoryPath(featureId);
        if (options.Value.Enabled && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        return Task.CompletedTask;
    }
}
