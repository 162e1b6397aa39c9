using Microsoft.Extensions.Options;
using Orchestrator.Merge.Forges.GitHub;
using Orchestrator.Tests.Support;

namespace Orchestrator.Merge.Tests.GitHub;

/// <summary>GitHub's primary and secondary rate limits: waited out as advised, within one budget per publication.</summary>
public sealed class GitHubRateLimitTests : GitHubPublisherTestBase
{
    [Fact]
    public async Task A_secondary_rate_limit_is_waited_out_for_the_advised_time_and_the_request_retried()
    {
        NoOpenPullRequest();
        api.On("POST", "pulls").InScenario("limited", next: "waited")
            .ReplyFixture(403, "secondary-rate-limit.json", new Dictionary<string, string> { ["Retry-After"] = "1" });
        api.On("POST", "pulls").InScenario("limited", state: "waited").ReplyFixture(201, "pull-request.json");

        var info = await Publisher().OpenOrUpdateAsync(Draft(), ct);

        Assert.Equal(1347, info.Number);
        Assert.Equal(
            ["GET /repos/octocat/Hello-World/pulls", "POST /repos/octocat/Hello-World/pulls", "POST /repos/octocat/Hello-World/pulls"],
            api.Requests.Select(r => r.ToString()));
        Assert.Equal([TimeSpan.FromSeconds(1)], time.Waits);
        Assert.Contains(logs.Lines, l => l.StartsWith("[Warning]", StringComparison.Ordinal) && l.Contains("rate limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_secondary_rate_limit_that_outlasts_the_configured_wait_fails_with_the_reason()
    {
        api.On("GET", "pulls").ReplyFixture(403, "secondary-rate-limit.json", new Dictionary<string, string> { ["Retry-After"] = "1" });

        var failure = await FailingAsync(Publisher(o => o.SecondaryRateLimitMaxWait = TimeSpan.FromSeconds(3)));

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)], time.Waits);
        Assert.Equal(4, api.Requests.Count);
        Assert.Equal(
            "GitHub's secondary rate limit keeps refusing requests (could not list pull requests on octocat/Hello-World): it asks to wait 1 s more, " +
            "beyond Forge:GitHub:SecondaryRateLimitMaxWait (3 s in total); try again later",
            failure.Message);
    }

    [Fact]
    public async Task A_secondary_rate_limit_without_advice_waits_a_minute_when_the_budget_allows()
    {
        NoOpenPullRequest();
        api.On("POST", "pulls").InScenario("limited", next: "waited").ReplyFixture(403, "secondary-rate-limit.json");
        api.On("POST", "pulls").InScenario("limited", state: "waited").ReplyFixture(201, "pull-request.json");

        await Publisher(o => o.SecondaryRateLimitMaxWait = TimeSpan.FromMinutes(2)).OpenOrUpdateAsync(Draft(), ct);

        Assert.Equal([TimeSpan.FromMinutes(1)], time.Waits);
    }

    [Fact]
    public async Task An_exhausted_primary_rate_limit_that_resets_too_late_fails_at_once()
    {
        var reset = time.GetUtcNow().AddMinutes(40).ToUnixTimeSeconds();
        api.On("GET", "pulls").ReplyFixture(403, "rate-limit-exceeded.json", new Dictionary<string, string>
        {
            ["X-RateLimit-Limit"] = "5000",
            ["X-RateLimit-Remaining"] = "0",
            ["X-RateLimit-Reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        var failure = await FailingAsync(Publisher());

        Assert.Empty(time.Waits);
        Assert.Single(api.Requests);
        Assert.StartsWith("GitHub's API rate limit for this token is used up (could not list pull requests on octocat/Hello-World): it asks to wait 2400 s",
            failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wait_budget_is_shared_by_every_call_of_one_publication()
    {
        // Two 1 s waits for the look-up leave 1 s of the 3: the create's 2 s ask is beyond it, though alone it would fit.
        var limited = new Dictionary<string, string> { ["Retry-After"] = "1" };
        api.On("GET", "pulls").InScenario("limited", next: "waited once").ReplyFixture(403, "secondary-rate-limit.json", limited);
        api.On("GET", "pulls").InScenario("limited", state: "waited once", next: "waited twice").ReplyFixture(403, "secondary-rate-limit.json", limited);
        api.On("GET", "pulls").InScenario("limited", state: "waited twice").Reply(200, "[]");
        api.On("POST", "pulls").ReplyFixture(403, "secondary-rate-limit.json", new Dictionary<string, string> { ["Retry-After"] = "2" });

        var failure = await FailingAsync(Publisher(o => o.SecondaryRateLimitMaxWait = TimeSpan.FromSeconds(3)));

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)], time.Waits);
        Assert.Equal(
            ["GET /repos/octocat/Hello-World/pulls", "GET /repos/octocat/Hello-World/pulls", "GET /repos/octocat/Hello-World/pulls",
                "POST /repos/octocat/Hello-World/pulls"],
            api.Requests.Select(r => r.ToString()));
        Assert.StartsWith("GitHub's secondary rate limit keeps refusing requests (could not open a pull request on octocat/Hello-World): it asks to wait 2 s more",
            failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_ends_a_rate_limit_wait_at_once()
    {
        // GitHub asks for ten minutes and the budget allows an hour: only cancellation ends the wait within the test's bound.
        api.On("GET", "pulls").ReplyFixture(403, "secondary-rate-limit.json", new Dictionary<string, string> { ["Retry-After"] = "600" });
        var options = new GitHubOptions { Token = token, ApiUrl = api.ApiUrl, SecondaryRateLimitMaxWait = TimeSpan.FromHours(1) };
        var publisher = new GitHubPublisher(Options.Create(options), TimeProvider.System, logs.CreateLogger<GitHubPublisher>());
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var publication = publisher.OpenOrUpdateAsync(Draft(), cancellation.Token);
        await Eventually.TrueAsync(() => logs.Lines.Any(l => l.Contains("waiting 600 s", StringComparison.Ordinal)), "the wait for the rate limit");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publication.WaitAsync(Eventually.DefaultTimeout, ct));
        Assert.Single(api.Requests);
    }
}
