using System.Text.Json;

namespace Orchestrator.Testing.GitHub;

/// <summary>
/// A delivery of GitHub's <c>pull_request_review_comment</c> webhook (action <c>created</c>): a comment on a line of a
/// pull request's diff, with the pull request (its head branch), the repository, the commenter and their
/// <c>author_association</c> — the fields Octokit.Webhooks reads — signed like every delivery.
/// </summary>
public sealed record ReviewCommentWebhookDelivery(
    string Owner, string Name, string CloneUrl, int PullRequest, string HeadBranch, string Body, string Association = "OWNER")
{
    public string Delivery { get; init; } = Guid.NewGuid().ToString();

    public long CommentId { get; init; } = Random.Shared.NextInt64(1, long.MaxValue / 2);

    public string Path { get; init; } = "src/Calculator/Arithmetic.cs";

    public HttpRequestMessage ToRequest(string path, string? secret) =>
        IssueWebhookDelivery.ToRequest(path, "pull_request_review_comment", Delivery, Payload(), secret);

    private string Payload()
    {
        var site = new Uri(CloneUrl).GetLeftPart(UriPartial.Authority);
        var api = $"{site}/api/v3/repos/{Owner}/{Name}";
        var pull = $"{api}/pulls/{PullRequest}";
        var user = new { login = "reviewer", id = 2, node_id = "U_2", type = "User", avatar_url = $"{site}/avatars/reviewer", url = $"{site}/api/v3/users/reviewer" };
        var repository = new
        {
            id = 42, node_id = "R_42", name = Name, full_name = $"{Owner}/{Name}", @private = true, owner = user,
            html_url = $"{site}/{Owner}/{Name}", url = api, clone_url = CloneUrl, default_branch = "main",
        };
        var now = DateTimeOffset.UtcNow;
        return JsonSerializer.Serialize(new
        {
            action = "created",
            comment = new
            {
                id = CommentId, node_id = "C_1", url = $"{api}/pulls/comments/{CommentId}", pull_request_review_id = 1,
                diff_hunk = "@@ -1,3 +1,4 @@", path = Path, line = 12, side = "RIGHT", commit_id = new string('a', 40),
                original_commit_id = new string('a', 40), user, body = Body, created_at = now, updated_at = now,
                html_url = $"{site}/{Owner}/{Name}/pull/{PullRequest}#discussion_r{CommentId}", pull_request_url = pull,
                author_association = Association,
                _links = new
                {
                    self = new { href = $"{api}/pulls/comments/{CommentId}" },
                    html = new { href = $"{site}/{Owner}/{Name}/pull/{PullRequest}#discussion_r{CommentId}" },
                    pull_request = new { href = pull },
                },
                reactions = new Dictionary<string, object>
                {
                    ["url"] = $"{api}/pulls/comments/{CommentId}/reactions", ["total_count"] = 0, ["+1"] = 0, ["-1"] = 0, ["laugh"] = 0,
                    ["hooray"] = 0, ["confused"] = 0, ["heart"] = 0, ["rocket"] = 0, ["eyes"] = 0,
                },
            },
            pull_request = new
            {
                url = pull, id = 500 + PullRequest, node_id = "PR_1", number = PullRequest, state = "open", locked = false,
                title = "Orchestrator pull request", user, body = string.Empty, created_at = now, updated_at = now,
                html_url = $"{site}/{Owner}/{Name}/pull/{PullRequest}", diff_url = $"{site}/{Owner}/{Name}/pull/{PullRequest}.diff",
                patch_url = $"{site}/{Owner}/{Name}/pull/{PullRequest}.patch", issue_url = $"{api}/issues/{PullRequest}",
                assignees = Array.Empty<object>(), requested_reviewers = Array.Empty<object>(), requested_teams = Array.Empty<object>(),
                labels = Array.Empty<object>(), commits_url = $"{pull}/commits", review_comments_url = $"{pull}/comments",
                review_comment_url = $"{api}/pulls/comments{{/number}}", comments_url = $"{api}/issues/{PullRequest}/comments",
                statuses_url = $"{api}/statuses/{new string('b', 40)}", author_association = "OWNER",
                head = new { label = $"{Owner}:{HeadBranch}", @ref = HeadBranch, sha = new string('b', 40), user, repo = repository },
                @base = new { label = $"{Owner}:main", @ref = "main", sha = new string('c', 40), user, repo = repository },
            },
            repository,
            sender = user,
        });
    }
}
