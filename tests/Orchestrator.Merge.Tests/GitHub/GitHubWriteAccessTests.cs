using System.Diagnostics;

namespace Orchestrator.Merge.Tests.GitHub;

/// <summary>
/// Before any agent works, the repository is looked up with the token: a missing or invisible repository and a token
/// that may read but not push are found out at submission, not at the end.
/// </summary>
public sealed class GitHubWriteAccessTests : GitHubPublisherTestBase
{
    private void RepositoryAnswers(bool push) => api.On("GET", GitHubApiFake.Repos).Reply(200,
        $$"""{ "id": 1296269, "name": "Hello-World", "full_name": "octocat/Hello-World", "private": true, "permissions": { "admin": false, "push": {{(push ? "true" : "false")}}, "pull": true } }""");

    [Fact]
    public async Task A_token_that_may_push_is_accepted_and_asked_with_the_token()
    {
        RepositoryAnswers(push: true);

        Assert.Null(await Publisher().CheckWriteAccessAsync(Repository, ct));

        var request = Assert.Single(api.Requests);
        Assert.Equal(("GET", GitHubApiFake.Repos), (request.Method, request.Path));
        Assert.Equal($"Token {token}", request.Headers["Authorization"]);
    }

    [Fact]
    public async Task A_token_that_may_only_read_is_refused_saying_what_it_needs()
    {
        RepositoryAnswers(push: false);

        var reason = await Publisher().CheckWriteAccessAsync(Repository, ct);

        Assert.Equal(
            "the token can read octocat/Hello-World but may not push to it: it needs Contents: read and write and " +
            "Pull requests: read and write (or a classic token with repo)", reason);
    }

    [Fact]
    public async Task A_repository_the_token_cannot_see_is_refused_with_the_reason()
    {
        api.On("GET", GitHubApiFake.Repos).ReplyFixture(404, "not-found.json");

        var reason = await Publisher().CheckWriteAccessAsync(Repository, ct);

        Assert.Equal($"repository octocat/Hello-World not found on {api.ApiUrl}, or the token cannot see it (404)", reason);
        Assert.DoesNotContain(token, reason!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repository_on_another_host_is_not_the_github_forges_to_check()
    {
        Assert.Null(await Publisher().CheckWriteAccessAsync("https://gitlab.example/octocat/Hello-World.git", ct));
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task No_trace_or_baggage_header_leaves_for_the_forge()
    {
        RepositoryAnswers(push: true);
        using var source = new ActivitySource("Orchestrator.Tests.Forge");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var activity = source.StartActivity("consolidate")!;
        activity.AddBaggage("conversation", Guid.NewGuid().ToString());

        await Publisher().CheckWriteAccessAsync(Repository, ct);

        var headers = Assert.Single(api.Requests).Headers;
        Assert.NotNull(Activity.Current);
        Assert.DoesNotContain(headers.Keys, name => name is "traceparent" or "tracestate" or "baggage" or "Correlation-Context" or "Request-Id");
    }
}
