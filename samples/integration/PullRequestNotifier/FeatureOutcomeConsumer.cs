using MassTransit;
using Microsoft.Extensions.Logging;

namespace PullRequestNotifier;

/// <summary>Writes each pull request the Orchestrator opens, and each feature that fails, to the <see cref="PullRequestLog"/>.</summary>
public sealed partial class FeatureOutcomeConsumer(PullRequestLog log, ILogger<FeatureOutcomeConsumer> logger)
    : IConsumer<PullRequestOpened>, IConsumer<FeatureFailed>
{
    public async Task Consume(ConsumeContext<PullRequestOpened> context)
    {
        var pullRequest = context.Message.PullRequest;
        if (await log.PullRequestOpenedAsync(context.Message, context.CancellationToken))
        {
            LogPullRequest(logger, context.Message.FeatureId, pullRequest.Number, pullRequest.Url);
        }
    }

    public async Task Consume(ConsumeContext<FeatureFailed> context)
    {
        if (await log.FeatureFailedAsync(context.Message, context.CancellationToken))
        {
            LogFailed(logger, context.Message.FeatureId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: pull request #{Number} opened, {Url}")]
    private static partial void LogPullRequest(ILogger logger, Guid featureId, int number, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId} failed")]
    private static partial void LogFailed(ILogger logger, Guid featureId);
}
