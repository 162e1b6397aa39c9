namespace Orchestrator.Merge.Forges.GitHub;

public sealed partial class GitHubPublisher : IIssueCommenter
{
    public bool CanCommentOn(string repository) => Address(repository) is not null;

    public async Task<bool> CommentOnceAsync(string repository, int issue, string marker, string body, CancellationToken cancellationToken)
    {
        var address = Address(repository) ?? throw new ForgeException($"'{repository}' is not a repository the GitHub forge comments on");
        var call = new Call(address, _rateLimits.NewBudget(), cancellationToken);
        var comments = await SendAsync(call, $"read the comments of issue #{issue}", "the issue's comments",
            () => _client!.Issue.Comment.GetAllForIssue(address.Owner, address.Name, issue));
        if (comments.Any(comment => comment.Body?.Contains(marker, StringComparison.Ordinal) == true))
        {
            return false;
        }

        await SendAsync(call, $"comment on issue #{issue}", "the comment",
            () => _client!.Issue.Comment.Create(address.Owner, address.Name, issue, body));
        LogCommented(_logger, issue, address.FullName);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Commented on issue #{Issue} of {Repository}")]
    private static partial void LogCommented(ILogger logger, int issue, string repository);
}
