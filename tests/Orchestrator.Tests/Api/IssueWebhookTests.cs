using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Testing.GitHub;

namespace Orchestrator.Tests.Api;

/// <summary>GitHub's issue webhook on the real API host: signature, label, and the feature it submits.</summary>
public sealed class IssueWebhookTests : IDisposable
{
    private const string Secret = "webhook-secret-0123456789abcdef";
    private const string Repository = "https://github.com/octo/calc.git";

    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private Task<ApiHost> StartAsync() => ApiHost.StartAsync(_root.Path,
        ("Webhooks:GitHub:Secret", Secret),
        ("ConnectionStrings:llm", "Endpoint=http://127.0.0.1:9/v1;Key=sk-test-0123456789;Model=test-model"));

    [Fact]
    public async Task A_signed_labelled_issue_is_submitted_as_a_feature_on_its_repository_that_closes_it()
    {
        await using var api = await StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var delivery = new IssueWebhookDelivery("octo", "calc", Repository, Issue: 7, Label: "Orchestrator");

        using var response = await api.Client(null).SendAsync(delivery.ToRequest("/github/webhooks", Secret), ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(ct));
        var feature = Assert.Single(await api.Client(ApiHost.FirstKey).GetFromJsonAsync<JsonElement[]>("/features", ct) ?? []);
        Assert.Equal(Repository, feature.GetProperty("repository").GetString());
        Assert.Equal(7, feature.GetProperty("issue").GetInt32());
        var comment = Assert.Single(api.IssueComments);
        Assert.Equal((Repository, 7), (comment.Repository, comment.Issue));
        Assert.Contains(feature.GetProperty("id").GetString()!, comment.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_labelled_issue_that_cannot_be_taken_gets_a_comment_with_the_reason_and_no_feature()
    {
        await using var api = await StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var delivery = new IssueWebhookDelivery("octo", "calc", "https://elsewhere.example/octo/calc.git", Issue: 9, Label: "orchestrator");

        using var response = await api.Client(null).SendAsync(delivery.ToRequest("/github/webhooks", Secret), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await api.Client(ApiHost.FirstKey).GetFromJsonAsync<JsonElement[]>("/features", ct) ?? []);
        var comment = Assert.Single(api.IssueComments);
        Assert.StartsWith("Orchestrator could not take this issue: Repositories on 'elsewhere.example'", comment.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_not_signed_with_the_secret_is_refused_with_401_and_submits_nothing()
    {
        await using var api = await StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var delivery = new IssueWebhookDelivery("octo", "calc", Repository, Issue: 7, Label: "orchestrator");

        using var forged = await api.Client(null).SendAsync(delivery.ToRequest("/github/webhooks", "another-secret-0123456789abcdef"), ct);
        using var unsigned = await api.Client(null).SendAsync(delivery.ToRequest("/github/webhooks", secret: null), ct);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (forged.StatusCode, unsigned.StatusCode));
        Assert.Empty(await api.Client(ApiHost.FirstKey).GetFromJsonAsync<JsonElement[]>("/features", ct) ?? []);
        Assert.Equal(0, api.RepositoryChecks);
    }

    [Fact]
    public async Task Another_label_is_acknowledged_and_ignored()
    {
        await using var api = await StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var delivery = new IssueWebhookDelivery("octo", "calc", Repository, Issue: 7, Label: "bug");

        using var response = await api.Client(null).SendAsync(delivery.ToRequest("/github/webhooks", Secret), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await api.Client(ApiHost.FirstKey).GetFromJsonAsync<JsonElement[]>("/features", ct) ?? []);
        Assert.Equal(0, api.RepositoryChecks);
    }
}
