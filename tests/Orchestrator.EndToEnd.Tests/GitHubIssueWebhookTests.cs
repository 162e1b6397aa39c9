using System.Text.Json;
using Orchestrator.Testing.GitHub;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// GitHub's side of a feature: an issue labelled <c>orchestrator</c> on the GitHub Enterprise stand-in is delivered to
/// the orchestrator as GitHub delivers webhooks (signed with the webhook secret), becomes a feature driven by the model
/// endpoint, and ends in one pull request that closes the issue, with a comment on the issue naming the feature; a
/// reviewer's <c>/orchestrator</c> comment then updates that pull request through a follow-up task.
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class GitHubIssueWebhookTests(OrchestratorApp app)
{
    private const string Owner = "platform";
    private const int Issue = 7;
    private static readonly TimeSpan FeatureTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task An_issue_labelled_orchestrator_becomes_a_feature_whose_pull_request_closes_it()
    {
        var name = "issues-" + Guid.NewGuid().ToString("N")[..8];
        var repository = app.GitHub.AddRepository(Owner, name, app.CreateSampleRepository());
        var delivery = new IssueWebhookDelivery(Owner, name, repository, Issue, "orchestrator");

        // GitHub delivers again when it did not see an answer in time: the same delivery is the same feature.
        var delivered = await DeliverAsync(delivery, app.Canaries.WebhookSecret);
        var redelivered = await DeliverAsync(delivery, app.Canaries.WebhookSecret);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (delivered, redelivered));
        var id = Assert.Single(await FeaturesOnAsync(repository)).GetProperty("id").GetString()!;
        var feature = await app.WaitForEndAsync($"/features/{id}", FeatureTimeout);
        Assert.True(feature.GetProperty("state").GetString() == "Completed", $"feature did not complete: {feature}");
        var pull = Assert.Single(app.GitHub.PullRequests.All, p => p.Repo == name);
        Assert.Contains($"Closes #{Issue}", pull.Body, StringComparison.Ordinal);
        var comment = Assert.Single(app.GitHub.IssueComments.All, c => c.Repo == name);
        Assert.Equal(Issue, comment.Issue);
        Assert.Contains(id, comment.Body, StringComparison.Ordinal);

        await A_review_comment_starting_with_orchestrator_updates_the_same_pull_request(name, repository, id, pull);
    }

    /// <summary>
    /// The rest of the path: a reviewer's <c>/orchestrator</c> comment on the pull request's diff becomes a follow-up
    /// Coder task on the pull request's branch, and the same pull request gains its commit (history kept, not rewritten).
    /// </summary>
    private async Task A_review_comment_starting_with_orchestrator_updates_the_same_pull_request(
        string name, string repository, string id, PullRequestRecord pull)
    {
        var before = app.GitHub.BranchHead(Owner, name, pull.Head)!;
        var review = new ReviewCommentWebhookDelivery(Owner, name, repository, pull.Number, pull.Head,
            "/orchestrator Say in Power's summary how it computes the result.");

        // Anyone may comment on a pull request; only people who may write to the repository get a follow-up.
        var outsiderComment = review with { Association = "CONTRIBUTOR", Delivery = Guid.NewGuid().ToString(), CommentId = 1 };
        var outsider = await SendAsync(outsiderComment.ToRequest("/github/webhooks", app.Canaries.WebhookSecret));
        var asked = await SendAsync(review.ToRequest("/github/webhooks", app.Canaries.WebhookSecret));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (outsider, asked));
        var feature = await WaitForTaskAsync(id, "follow-up-1");
        Assert.True(feature.GetProperty("state").GetString() == "Completed", $"the follow-up did not complete: {feature}");
        var updated = Assert.Single(app.GitHub.PullRequests.All, p => p.Repo == name);
        Assert.Equal(pull.Number, updated.Number);
        Assert.Contains("follow-up-1", updated.Body, StringComparison.Ordinal);
        var after = app.GitHub.BranchHead(Owner, name, pull.Head)!;
        Assert.NotEqual(before, after);
        Assert.True(app.GitHub.IsAncestor(Owner, name, before, after), "the follow-up rewrote the pull request's history");
        Assert.Contains("by exponentiation by squaring", app.GitHub.FileOnBranch(Owner, name, pull.Head, "src/Calculator/Arithmetic.cs"));
        var answers = app.GitHub.IssueComments.All.Where(c => c.Repo == name && c.Issue == pull.Number).Select(c => c.Body).ToList();
        Assert.Contains(answers, a => a.Contains("only from people who may write", StringComparison.Ordinal));
        Assert.Contains(answers, a => a.Contains("following this up", StringComparison.Ordinal));
    }

    private async Task<JsonElement> WaitForTaskAsync(string id, string taskId)
    {
        var deadline = DateTimeOffset.UtcNow + FeatureTimeout;
        JsonElement feature = default;
        while (DateTimeOffset.UtcNow < deadline)
        {
            feature = await app.Api.GetFromJsonAsync<JsonElement>($"/features/{id}", TestContext.Current.CancellationToken);
            var task = feature.GetProperty("tasks").EnumerateArray().FirstOrDefault(t => t.GetProperty("id").GetString() == taskId);
            if (task.ValueKind != JsonValueKind.Undefined && feature.GetProperty("state").GetString() is "Completed" or "Failed" or "Cancelled")
            {
                return feature;
            }

            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"Task {taskId} did not run to the feature's end within {FeatureTimeout}: {feature}");
        return feature;
    }

    [Fact]
    public async Task A_delivery_with_a_wrong_signature_or_another_label_queues_nothing()
    {
        var name = "unsigned-" + Guid.NewGuid().ToString("N")[..8];
        var repository = app.GitHub.AddRepository(Owner, name, app.CreateSampleRepository());
        var delivery = new IssueWebhookDelivery(Owner, name, repository, Issue, "orchestrator");

        var forged = await DeliverAsync(delivery, "not-the-webhook-secret-0123456789");
        var unsigned = await DeliverAsync(delivery with { Delivery = Guid.NewGuid().ToString() }, secret: null);
        var ignored = await DeliverAsync(delivery with { Label = "bug", Delivery = Guid.NewGuid().ToString() }, app.Canaries.WebhookSecret);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK), (forged, unsigned, ignored));
        Assert.Empty(await FeaturesOnAsync(repository));
        Assert.DoesNotContain(app.GitHub.IssueComments.All, c => c.Repo == name);
    }

    private Task<HttpStatusCode> DeliverAsync(IssueWebhookDelivery delivery, string? secret) =>
        SendAsync(delivery.ToRequest("/github/webhooks", secret));

    private async Task<HttpStatusCode> SendAsync(HttpRequestMessage delivery)
    {
        using var client = app.CreateClient(key: null);
        using (delivery)
        {
            using var response = await client.SendAsync(delivery, TestContext.Current.CancellationToken);
            return response.StatusCode;
        }
    }

    private async Task<List<JsonElement>> FeaturesOnAsync(string repository) =>
        [.. (await app.Api.GetFromJsonAsync<JsonElement>("/features", TestContext.Current.CancellationToken)).EnumerateArray()
            .Where(f => f.GetProperty("repository").GetString() == repository)];
}
