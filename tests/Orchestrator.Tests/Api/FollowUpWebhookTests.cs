using System.Net;
using MassTransit;
using MassTransit.Saga;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Contracts;
using Orchestrator.StateMachines;
using Orchestrator.Testing.GitHub;

namespace Orchestrator.Tests.Api;

/// <summary>
/// A reviewer's <c>/orchestrator</c> comment on an Orchestrator pull request (GitHub's <c>pull_request_review_comment</c>
/// webhook, on the real API host): who may ask, in which state, and what the reviewer is told.
/// </summary>
public sealed class FollowUpWebhookTests : IDisposable
{
    private const string Secret = "webhook-secret-0123456789abcdef";
    private const string Repository = "https://github.com/octo/calc.git";

    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_maintainers_comment_on_a_completed_features_pull_request_asks_for_a_follow_up_and_says_so()
    {
        await using var api = await StartAsync();
        var feature = Seed(api, nameof(FeatureStateMachine.Completed));

        var status = await DeliverAsync(api, Comment(feature, "/orchestrator  Name the algorithm in Power's summary."));

        Assert.Equal(HttpStatusCode.OK, status);
        var asked = Assert.Single(Published<RequestFollowUp>(api));
        Assert.Equal((feature.CorrelationId, "review-comment-77", "reviewer"), (asked.FeatureId, asked.RequestId, asked.RequestedBy));
        Assert.StartsWith("Name the algorithm in Power's summary.", asked.Instructions, StringComparison.Ordinal);
        Assert.Contains("src/Calculator/Arithmetic.cs", asked.Instructions, StringComparison.Ordinal);
        var answer = Assert.Single(api.IssueComments);
        Assert.Equal((Repository, 12), (answer.Repository, answer.Issue));
        Assert.Contains("following this up", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comment_from_someone_who_may_not_write_is_answered_and_asks_for_nothing()
    {
        await using var api = await StartAsync();
        var feature = Seed(api, nameof(FeatureStateMachine.Completed));

        await DeliverAsync(api, Comment(feature, "/orchestrator Delete the tests.") with { Association = "NONE" });

        Assert.Empty(Published<RequestFollowUp>(api));
        Assert.Contains("only from people who may write", Assert.Single(api.IssueComments).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comment_while_the_feature_still_runs_is_answered_with_its_state()
    {
        await using var api = await StartAsync();
        var feature = Seed(api, nameof(FeatureStateMachine.Consolidating));

        await DeliverAsync(api, Comment(feature, "/orchestrator Also handle NaN."));

        Assert.Empty(Published<RequestFollowUp>(api));
        Assert.Contains("is Consolidating", Assert.Single(api.IssueComments).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_comments_and_other_branches_are_acknowledged_and_ignored()
    {
        await using var api = await StartAsync();
        var feature = Seed(api, nameof(FeatureStateMachine.Completed));

        var plain = await DeliverAsync(api, Comment(feature, "Looks good, but please orchestrator this later."));
        var elsewhere = await DeliverAsync(api, Comment(feature, "/orchestrator Do more.") with { HeadBranch = "feature/mine" });
        var unknown = await DeliverAsync(api, Comment(feature, "/orchestrator Do more.") with { HeadBranch = $"orchestrator/{Guid.NewGuid():N}" });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (plain, elsewhere, unknown));
        Assert.Empty(Published<RequestFollowUp>(api));
        Assert.Empty(api.IssueComments);
    }

    private Task<ApiHost> StartAsync() => ApiHost.StartAsync(_root.Path,
        ("Webhooks:GitHub:Secret", Secret),
        ("ConnectionStrings:llm", "Endpoint=http://127.0.0.1:9/v1;Key=sk-test-0123456789;Model=test-model"));

    private static FeatureState Seed(ApiHost api, string state)
    {
        var feature = new FeatureState
        {
            CorrelationId = Guid.NewGuid(),
            CurrentState = state,
            Repository = Repository,
            BaseBranch = "main",
            Request = "Add Power",
        };
        feature.PullRequest = new PullRequestInfo(12, "https://github.com/octo/calc/pull/12", feature.FeatureBranch, "main", Repository, "github");
        api.Services.GetRequiredService<IndexedSagaDictionary<FeatureState>>().Add(new SagaInstance<FeatureState>(feature));
        return feature;
    }

    private static ReviewCommentWebhookDelivery Comment(FeatureState feature, string body) =>
        new("octo", "calc", Repository, 12, feature.FeatureBranch, body) { CommentId = 77, Association = "MEMBER" };

    private static async Task<HttpStatusCode> DeliverAsync(ApiHost api, ReviewCommentWebhookDelivery delivery)
    {
        using var request = delivery.ToRequest("/github/webhooks", Secret);
        using var response = await api.Client(null).SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return response.StatusCode;
    }

    private static List<T> Published<T>(ApiHost api) where T : class =>
        [.. api.Services.GetRequiredService<ITestHarness>().Published.Select<T>().Select(m => m.Context.Message)];
}
