using Microsoft.Extensions.Options;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Forges.GitHub;

namespace Orchestrator.Merge.Tests.GitHub;

/// <summary>A fresh GitHub API stand-in, clock and logs per test, and the publisher and drafts pointed at them.</summary>
public abstract class GitHubPublisherTestBase : IDisposable
{
    // Random per test run, so a match in a log or a message can only come from this test.
    private protected readonly string token = "ghp_" + Guid.NewGuid().ToString("N");
    private protected readonly GitHubApiFake api = new();
    private protected readonly CapturingLoggerProvider logs = new();
    private protected readonly ImpatientTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private protected readonly CancellationToken ct = TestContext.Current.CancellationToken;

    protected const string Repository = "https://github.com/octocat/Hello-World.git";
    protected const string Head = "new-topic";

    public void Dispose() => api.Dispose();

    private protected GitHubPublisher Publisher(Action<GitHubOptions>? configure = null, GitHubApiFake? server = null)
    {
        var options = new GitHubOptions { Token = token, ApiUrl = (server ?? api).ApiUrl };
        configure?.Invoke(options);
        return new GitHubPublisher(Options.Create(options), time, logs.CreateLogger<GitHubPublisher>());
    }

    private protected static PullRequestDraft Draft(string repository = Repository) =>
        new(Guid.NewGuid(), repository, Head, "master", "Add a greeting", "## Summary\n\nAdds a greeting.");

    private protected void NoOpenPullRequest() => api.On("GET", "pulls").Reply(200, "[]");

    private protected void OpenPullRequest() => api.On("GET", "pulls").ReplyFixture(200, "pull-requests-open.json");

    private protected void CreatedPullRequest() => api.On("POST", "pulls").ReplyFixture(201, "pull-request.json");

    private protected void UpdatedPullRequest() => api.On("PATCH", "pulls/1347").ReplyFixture(200, "pull-request.json");

    private protected void LabelsAdded() => api.On("POST", "issues/1347/labels").ReplyFixture(200, "issue-labels-added.json");

    private protected async Task<ForgeException> FailingAsync(GitHubPublisher publisher)
    {
        var failure = await Assert.ThrowsAsync<ForgeException>(() => publisher.OpenOrUpdateAsync(Draft(), ct));
        Assert.DoesNotContain(token, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, failure.ToString(), StringComparison.Ordinal);
        return failure;
    }
}
