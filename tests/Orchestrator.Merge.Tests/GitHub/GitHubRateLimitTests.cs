using Microsoft.Extensions.Options;
using Orchestrator.Merge.Forges.GitHub;

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
}
