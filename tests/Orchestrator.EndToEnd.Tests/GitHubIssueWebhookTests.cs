using System.Text.Json;
using Orchestrator.Testing.GitHub;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// GitHub's side of a feature: an issue labelled <c>orchestrator</c> on the GitHub Enterprise stand-in is delivered to
/// the orchestrator as GitHub delivers webhooks (signed with the webhook secret), becomes a feature driven by the model
/// endpoint, and ends in one pull request that closes the issue, with a comment on the issue naming the feature.
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

    private async Task<HttpStatusCode> DeliverAsync(IssueWebhookDelivery delivery, string? secret)
    {
        using var client = app.CreateClient(key: null);
        using var response = await client.SendAsync(delivery.ToRequest("/github/webhooks", secret), TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    private async Task<List<JsonElement>> FeaturesOnAsync(string repository) =>
        [.. (await app.Api.GetFromJsonAsync<JsonElement>("/features", TestContext.Current.CancellationToken)).EnumerateArray()
            .Where(f => f.GetProperty("repository").GetString() == repository)];
}
