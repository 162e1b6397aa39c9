using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;

namespace Orchestrator.Merge.Consumers;

/// <summary>
/// Comments on an issue for the orchestrator, which holds no forge credentials. A courtesy to the people watching the
/// issue: a forge that refuses is logged with its reason and never touches the feature.
/// </summary>
public sealed partial class CommentOnIssueConsumer(IEnumerable<IIssueCommenter> commenters, ILogger<CommentOnIssueConsumer> logger)
    : IConsumer<CommentOnIssue>
{
    public async Task Consume(ConsumeContext<CommentOnIssue> context)
    {
        var message = context.Message;
        if (commenters.FirstOrDefault(c => c.CanCommentOn(message.Repository)) is not { } commenter)
        {
            LogNoForge(logger, message.FeatureId, message.Issue);
            return;
        }

        try
        {
            var marker = Marker(message.FeatureId, message.Key);
            await commenter.CommentOnceAsync(message.Repository, message.Issue, marker, $"{message.Body}\n\n{marker}", context.CancellationToken);
        }
        catch (ForgeException ex)
        {
            LogRefused(logger, message.FeatureId, message.Issue, ex.Message);
        }
    }

    /// <summary>Invisible in the rendered comment; how a redelivered request finds the comment it already wrote.</summary>
    public static string Marker(Guid featureId, string? key = null) =>
        key is null ? $"<!-- orchestrator-feature: {featureId} -->" : $"<!-- orchestrator-feature: {featureId} {key} -->";

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: no forge comments on issue #{Issue} of its repository")]
    private static partial void LogNoForge(ILogger logger, Guid featureId, int issue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: could not comment on issue #{Issue}: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid featureId, int issue, string reason);
}
