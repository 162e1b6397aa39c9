using System.Text;
using Microsoft.Extensions.Options;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Forges.GitHub;

namespace Orchestrator.Merge.Tests.GitHub;

public sealed class GitHubPublisherTests : GitHubPublisherTestBase
{
    [Fact]
    public async Task Opens_a_pull_request_when_none_is_open_for_the_head_branch_and_labels_it()
    {
        NoOpenPullRequest();
        CreatedPullRequest();
        LabelsAdded();
        var publisher = Publisher(o => o.Labels = ["Foo", "bAr", "baZ"]);

        var info = await publisher.OpenOrUpdateAsync(Draft(), ct);

        Assert.Equal(
            ["GET /repos/octocat/Hello-World/pulls", "POST /repos/octocat/Hello-World/pulls", "POST /repos/octocat/Hello-World/issues/1347/labels"],
            api.Requests.Select(r => r.ToString()));
        var lookUp = api.Requests[0];
        Assert.Equal(("octocat:new-topic", "open"), (lookUp.Query["head"], lookUp.Query["state"]));

        var created = api.Requests[1].Json();
        Assert.Equal(("Add a greeting", "new-topic", "master", "## Summary\n\nAdds a greeting."),
            (created.GetProperty("title").GetString(), created.GetProperty("head").GetString(), created.GetProperty("base").GetString(),
                created.GetProperty("body").GetString()));
        Assert.False(created.TryGetProperty("draft", out _), "draft is only sent when configured");

        // Octokit sends the array itself, one of the two bodies GitHub documents for this endpoint.
        var labels = api.Requests[2].Json().EnumerateArray().Select(l => l.GetString());
        Assert.Equal(["Foo", "bAr", "baZ"], labels);

        Assert.Equal(new Contracts.PullRequestInfo(1347, "https://github.com/octocat/Hello-World/pull/1347", Head, "master", Repository, "github"), info);
    }

    [Fact]
    public async Task Updates_the_pull_request_already_open_for_the_head_branch_instead_of_opening_another()
    {
        OpenPullRequest();
        UpdatedPullRequest();
        CreatedPullRequest();

        var info = await Publisher().OpenOrUpdateAsync(Draft(), ct);

        Assert.Equal(["GET /repos/octocat/Hello-World/pulls", "PATCH /repos/octocat/Hello-World/pulls/1347"], api.Requests.Select(r => r.ToString()));
        var update = api.Requests[1].Json();
        Assert.Equal(("Add a greeting", "## Summary\n\nAdds a greeting.", "master"),
            (update.GetProperty("title").GetString(), update.GetProperty("body").GetString(), update.GetProperty("base").GetString()));
        Assert.Equal(1347, info.Number);
    }

    [Fact]
    public async Task Opens_a_draft_when_configured()
    {
        NoOpenPullRequest();
        CreatedPullRequest();

        await Publisher(o => o.Draft = true).OpenOrUpdateAsync(Draft(), ct);

        Assert.True(api.Requests.Single(r => r.Method == "POST").Json().GetProperty("draft").GetBoolean());
    }

    [Fact]
    public async Task Adopts_the_pull_request_GitHub_says_already_exists_and_updates_it()
    {
        // Another delivery of the same command opened it between our look-up and our create.
        api.On("GET", "pulls").InScenario("race").Reply(200, "[]");
        api.On("POST", "pulls").InScenario("race", next: "opened elsewhere").ReplyFixture(422, "pull-request-already-exists.json");
        api.On("GET", "pulls").InScenario("race", state: "opened elsewhere").ReplyFixture(200, "pull-requests-open.json");
        UpdatedPullRequest();
        LabelsAdded();

        var info = await Publisher(o => o.Labels = ["Foo"]).OpenOrUpdateAsync(Draft(), ct);

        Assert.Equal(
            [
                "GET /repos/octocat/Hello-World/pulls", "POST /repos/octocat/Hello-World/pulls", "GET /repos/octocat/Hello-World/pulls",
                "PATCH /repos/octocat/Hello-World/pulls/1347", "POST /repos/octocat/Hello-World/issues/1347/labels",
            ],
            api.Requests.Select(r => r.ToString()));
        Assert.Equal(1347, info.Number);
        Assert.Contains(logs.Lines, l => l.Contains("adopted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fails_with_a_reason_when_GitHub_says_one_exists_but_none_is_open_for_the_head_branch()
    {
        NoOpenPullRequest();
        api.On("POST", "pulls").ReplyFixture(422, "pull-request-already-exists.json");

        var failure = await FailingAsync(Publisher());

        Assert.Equal(
            "GitHub says a pull request already exists for 'new-topic' on octocat/Hello-World, but none is open with that head branch in the repository",
            failure.Message);
    }

    [Fact]
    public async Task Bad_credentials_fail_the_feature_with_the_setting_to_check()
    {
        api.On("GET", "pulls").ReplyFixture(401, "bad-credentials.json");

        var failure = await FailingAsync(Publisher());

        Assert.Equal("GitHub rejected the token (401 Bad credentials): check Forge:GitHub:Token", failure.Message);
    }

    [Fact]
    public async Task A_token_without_permission_fails_with_the_permissions_it_needs_and_GitHubs_message()
    {
        NoOpenPullRequest();
        api.On("POST", "pulls").ReplyFixture(403, "forbidden.json");

        var failure = await FailingAsync(Publisher());

        Assert.Equal(
            "the token may not open a pull request on octocat/Hello-World (403): it needs contents and pull requests write access; " +
            "GitHub says: Resource not accessible by personal access token",
            failure.Message);
    }

    [Fact]
    public async Task A_repository_the_token_cannot_see_fails_as_not_found_on_the_configured_api()
    {
        api.On("GET", "pulls").ReplyFixture(404, "not-found.json");

        var failure = await FailingAsync(Publisher());

        Assert.Equal($"repository octocat/Hello-World not found on {api.ApiUrl}, or the token cannot see it (404)", failure.Message);
    }

    [Fact]
    public async Task Other_validation_failures_are_reported_with_GitHubs_errors()
    {
        NoOpenPullRequest();
        api.On("POST", "pulls").ReplyFixture(422, "head-invalid.json");

        var failure = await FailingAsync(Publisher());

        Assert.Equal("GitHub refused the pull request (422): Validation Failed: PullRequest head invalid", failure.Message);
    }

    [Fact]
    public async Task A_recorded_validation_failure_on_the_labels_names_the_labels()
    {
        NoOpenPullRequest();
        CreatedPullRequest();
        api.On("POST", "issues/1347/labels").ReplyFixture(422, "validation-failed-label.json");

        var failure = await FailingAsync(Publisher(o => o.Labels = ["foo"]));

        Assert.Equal("GitHub refused the labels (422): Validation Failed: Label color invalid", failure.Message);
    }

    [Fact]
    public async Task Sends_the_token_on_every_request_and_never_logs_or_reports_it()
    {
        NoOpenPullRequest();
        api.On("POST", "pulls").InScenario("limited", next: "waited")
            .ReplyFixture(403, "secondary-rate-limit.json", new Dictionary<string, string> { ["Retry-After"] = "1" });
        api.On("POST", "pulls").InScenario("limited", state: "waited").ReplyFixture(201, "pull-request.json");
        api.On("POST", "issues/1347/labels").ReplyFixture(404, "not-found.json");
        var publisher = Publisher(o => o.Labels = ["Foo"]);

        var failure = await FailingAsync(publisher);

        Assert.Equal(4, api.Requests.Count);
        Assert.All(api.Requests, r => Assert.Matches($"^(?i:token|bearer) {token}$", r.Headers["Authorization"]));
        Assert.All(api.Requests, r => Assert.StartsWith("Orchestrator", r.Headers["User-Agent"], StringComparison.Ordinal));
        Assert.NotEmpty(logs.Lines);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{GitHubCredentials.UserName}:{token}"));
        foreach (var secret in new[] { token, basic })
        {
            Assert.DoesNotContain(secret, logs.All, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, failure.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Works_against_GitHub_Enterprise_Server_under_api_v3_with_its_own_clone_host()
    {
        using var enterprise = new GitHubApiFake("/api/v3");
        enterprise.On("GET", "pulls").Reply(200, "[]");
        enterprise.On("POST", "pulls").ReplyFixture(201, "pull-request.json");
        var publisher = Publisher(o => o.CloneHosts = ["ghe.example.com"], enterprise);
        const string repository = "https://ghe.example.com/octocat/Hello-World.git";

        Assert.True(publisher.CanPublishTo(repository));
        Assert.False(publisher.CanPublishTo(Repository));
        var info = await publisher.OpenOrUpdateAsync(Draft(repository), ct);

        Assert.EndsWith("/api/v3/", enterprise.ApiUrl, StringComparison.Ordinal);
        Assert.Equal(["GET /repos/octocat/Hello-World/pulls", "POST /repos/octocat/Hello-World/pulls"], enterprise.Requests.Select(r => r.ToString()));
        Assert.Equal((1347, repository), (info.Number, info.Repository));
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task An_unreachable_api_fails_with_the_address_it_tried()
    {
        var unreachable = new GitHubApiFake();
        var apiUrl = unreachable.ApiUrl;
        unreachable.Dispose();
        var publisher = new GitHubPublisher(
            Options.Create(new GitHubOptions { Token = token, ApiUrl = apiUrl }), time, logs.CreateLogger<GitHubPublisher>());

        var failure = await FailingAsync(publisher);

        Assert.StartsWith($"could not reach GitHub at {apiUrl} to list pull requests on octocat/Hello-World", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://github.com/octocat/Hello-World.git", true)]
    [InlineData("https://GitHub.com/octocat/Hello-World", true)]
    [InlineData("git@github.com:octocat/Hello-World.git", true)]
    [InlineData("ssh://git@github.com/octocat/Hello-World.git", true)]
    [InlineData("https://gitlab.com/octocat/Hello-World.git", false)]
    [InlineData("http://github.com/octocat/Hello-World.git", false)]
    [InlineData("/srv/git/Hello-World.git", false)]
    [InlineData("file:///srv/git/Hello-World.git", false)]
    public void Publishes_only_to_configured_clone_hosts(string repository, bool expected)
    {
        var publisher = Publisher();

        Assert.Equal("github", publisher.Forge);
        Assert.Equal(expected, publisher.CanPublishTo(repository));
    }

    [Fact]
    public void Publishes_nothing_without_a_token()
    {
        var publisher = Publisher(o => o.Token = " ");

        Assert.False(publisher.CanPublishTo(Repository));
        Assert.Null(publisher.GitEnvironmentFor(Repository));
    }

    [Fact]
    public void Gives_git_credentials_only_for_https_clone_urls_on_its_hosts()
    {
        var publisher = Publisher();

        var environment = publisher.GitEnvironmentFor(Repository);

        Assert.NotNull(environment);
        Assert.Equal("http.https://github.com/.extraheader", environment["GIT_CONFIG_KEY_0"]);
        Assert.Null(publisher.GitEnvironmentFor("git@github.com:octocat/Hello-World.git"));
        Assert.Null(publisher.GitEnvironmentFor("https://gitlab.com/octocat/Hello-World.git"));
    }

    [Fact]
    public async Task Refuses_a_repository_it_does_not_handle_with_the_settings_to_check()
    {
        var failure = await Assert.ThrowsAsync<ForgeException>(() => Publisher().OpenOrUpdateAsync(Draft("https://gitlab.com/o/r.git"), ct));

        Assert.Contains("Forge:GitHub:CloneHosts (github.com)", failure.Message, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }
}
