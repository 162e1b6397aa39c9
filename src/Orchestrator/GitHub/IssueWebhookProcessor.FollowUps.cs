using Octokit.Webhooks;
using Octokit.Webhooks.Events;
using Octokit.Webhooks.Events.IssueComment;
using Octokit.Webhooks.Events.PullRequestReviewComment;
using Orchestrator.Contracts;
using Orchestrator.StateMachines;

namespace Orchestrator.GitHub;

/// <summary>
/// Follow-ups from GitHub: a comment on an Orchestrator pull request that starts with <c>/orchestrator</c> — on its
/// diff (<c>pull_request_review_comment</c>) or in its conversation (<c>issue_comment</c>) — asks the feature for one
/// more Coder task on the pull request's branch; the same pull request is then updated. Only from people who may write
/// to the repository (<see cref="IssueWebhookOptions.FollowUpAuthors"/>); the comment's id makes a redelivery harmless.
/// </summary>
public sealed partial class IssueWebhookProcessor
{
    protected override async ValueTask ProcessPullRequestReviewCommentWebhookAsync(
        WebhookHeaders headers, PullRequestReviewCommentEvent reviewEvent, PullRequestReviewCommentAction action,
        CancellationToken cancellationToken = default)
    {
        if (reviewEvent is not PullRequestReviewCommentCreatedEvent { Comment: { } comment, PullRequest: { } pull }
            || reviewEvent.Repository is not { CloneUrl: { Length: > 0 } repository })
        {
            return;
        }

        var where = string.IsNullOrEmpty(comment.Path) ? string.Empty : $"\n\n(On `{comment.Path}`{(comment.Line is { } line ? $", line {line}" : string.Empty)}.)";
        var request = new FollowUpComment(repository, (int)pull.Number, $"review-comment-{comment.Id}", comment.Body + where,
            comment.User?.Login ?? "someone", comment.AuthorAssociation?.StringValue ?? "NONE");
        if (!IsFollowUp(request))
        {
            return;
        }

        var feature = FeatureOfBranch(pull.Head?.Ref) is { } id ? await features.FindAsync(id, cancellationToken) : null;
        await FollowUpAsync(request, feature, cancellationToken);
    }

    protected override async ValueTask ProcessIssueCommentWebhookAsync(
        WebhookHeaders headers, IssueCommentEvent commentEvent, IssueCommentAction action, CancellationToken cancellationToken = default)
    {
        if (commentEvent is not IssueCommentCreatedEvent { Comment: { } comment, Issue: { PullRequest: not null } issue }
            || commentEvent.Repository is not { CloneUrl: { Length: > 0 } repository })
        {
            return;
        }

        var request = new FollowUpComment(repository, (int)issue.Number, $"issue-comment-{comment.Id}", comment.Body,
            comment.User?.Login ?? "someone", comment.AuthorAssociation?.StringValue ?? "NONE");
        if (!IsFollowUp(request))
        {
            return;
        }

        // The conversation's event does not name the branch: the feature is found by its pull request.
        var all = await features.ListAllAsync(cancellationToken);
        var feature = all.FirstOrDefault(f => f.PullRequest is { } pr && pr.Number == request.PullRequest && pr.Repository == repository);
        await FollowUpAsync(request, feature, cancellationToken);
    }

    private sealed record FollowUpComment(string Repository, int PullRequest, string RequestId, string Body, string Author, string Association);

    private bool IsFollowUp(FollowUpComment comment) =>
        comment.Body.TrimStart().StartsWith(options.Value.FollowUpCommand, StringComparison.OrdinalIgnoreCase);

    private async Task FollowUpAsync(FollowUpComment comment, FeatureState? feature, CancellationToken cancellationToken)
    {
        if (!IsFollowUp(comment) || feature is null)
        {
            return;
        }

        var id = feature.CorrelationId;
        string answer;
        if (!options.Value.FollowUpAuthors.Contains(comment.Association, StringComparer.OrdinalIgnoreCase))
        {
            LogFollowUpRefused(logger, id, comment.Author, comment.Association);
            answer = $"Orchestrator takes follow-ups only from people who may write to this repository; @{comment.Author} is {comment.Association}.";
        }
        else if (feature.CurrentState != nameof(FeatureStateMachine.Completed))
        {
            answer = $"Feature `{id}` is {feature.CurrentState}; ask again once it has completed and updated this pull request.";
        }
        else
        {
            var instructions = comment.Body.TrimStart()[options.Value.FollowUpCommand.Length..].Trim();
            await publish.Publish(new RequestFollowUp(id, comment.RequestId, instructions, comment.Author), cancellationToken);
            LogFollowUp(logger, id, comment.Author);
            answer = $"Orchestrator is following this up on feature `{id}` (`orchestrator watch {id}`); this pull request will be updated.";
        }

        await publish.Publish(new CommentOnIssue(id, comment.Repository, comment.PullRequest, answer) { Key = comment.RequestId }, cancellationToken);
    }

    /// <summary>The feature whose pull request comes from <paramref name="branch"/> (<c>orchestrator/&lt;id&gt;</c>), if it is one.</summary>
    internal static Guid? FeatureOfBranch(string? branch) =>
        branch is not null && branch.StartsWith("orchestrator/", StringComparison.Ordinal)
        && Guid.TryParseExact(branch["orchestrator/".Length..], "N", out var id) ? id : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: follow-up asked by {Author}")]
    private static partial void LogFollowUp(ILogger logger, Guid featureId, string author);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: follow-up from {Author} refused ({Association})")]
    private static partial void LogFollowUpRefused(ILogger logger, Guid featureId, string author, string association);
}
