using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Tests.Api;

/// <summary>The real endpoints behind the API keys, the submission limit and the allow-list, over HTTP.</summary>
public sealed class ApiAccessTests : IDisposable
{
    private const string WrongKey = "wrong-0123456789abcdef0123456789abcdef";
    private static readonly string SomeFeature = $"/features/{Guid.NewGuid()}";

    private readonly TempDirectory _root = new();

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/features" },
        { "GET", SomeFeature },
        { "GET", $"{SomeFeature}/events" },
        { "GET", $"{SomeFeature}/tasks/implement/log" },
        { "GET", $"{SomeFeature}/tasks/implement/log/events" },
        { "POST", "/features" },
        { "POST", $"{SomeFeature}/cancel" },
        { "POST", $"{SomeFeature}/approve" },
        { "POST", $"{SomeFeature}/reject" },
    };

    public void Dispose() => _root.Dispose();

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_features_endpoint_answers_401_problem_details_without_a_valid_key(string method, string path)
    {
        await using var api = await ApiHost.StartAsync(_root.Path);

        var missing = await SendAsync(api.Client(null), method, path);
        var wrong = await SendAsync(api.Client(WrongKey), method, path);
        var notBearer = await SendAsync(api.Client(null), method, path, authorization: $"Basic {WrongKey}");

        await AssertUnauthorizedAsync(missing, "API key required", "Bearer realm=\"orchestrator\"");
        await AssertUnauthorizedAsync(wrong, "API key refused", "Bearer realm=\"orchestrator\", error=\"invalid_token\"");
        await AssertUnauthorizedAsync(notBearer, "API key refused", "Bearer realm=\"orchestrator\", error=\"invalid_token\"");
        Assert.Empty(await api.Client(ApiHost.FirstKey).GetFromJsonAsync<JsonElement[]>("/features", TestContext.Current.CancellationToken) ?? []);
        Assert.Equal(0, api.RepositoryChecks);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Health_endpoints_stay_open(string path)
    {
        await using var api = await ApiHost.StartAsync(_root.Path);

        var response = await api.Client(null).GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Any_configured_key_submits_and_reads()
    {
        await using var api = await ApiHost.StartAsync(_root.Path);
        var ct = TestContext.Current.CancellationToken;

        var submitted = await api.Client(ApiHost.FirstKey).PostAsJsonAsync(
            "/features", new { repository = "https://github.com/o/calc.git", request = "Add Power", script = "demo-power" }, ct);
        var features = await api.Client(ApiHost.SecondKey).GetFromJsonAsync<JsonElement[]>("/features", ct);

        Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, await submitted.Content.ReadAsStringAsync(ct));
        Assert.Equal("https://github.com/o/calc.git", Assert.Single(features!).GetProperty("repository").GetString());
    }

    [Fact]
    public async Task Submissions_are_limited_per_key_with_429_retry_after_and_problem_details()
    {
        await using var api = await ApiHost.StartAsync(_root.Path, ("Api:SubmissionLimit:Permits", "2"), ("Api:SubmissionLimit:Window", "00:10:00"));
        var first = api.Client(ApiHost.FirstKey);

        var allowed = new[] { await PostMalformedAsync(first), await PostMalformedAsync(first) };
        var limited = await PostMalformedAsync(first);
        var otherKey = await PostMalformedAsync(api.Client(ApiHost.SecondKey));
        var read = await first.GetAsync("/features", TestContext.Current.CancellationToken);

        Assert.All(allowed, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 600);
        var problem = await ProblemAsync(limited);
        Assert.Equal("Too many submissions", problem.GetProperty("title").GetString());
        Assert.Contains("API key 'first' may submit at most 2 features per 00:10:00", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(ApiHost.FirstKey, await limited.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.BadRequest, otherKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Theory]
    [InlineData("/srv/git/calc.git", "Repositories:AllowLocal is off")]
    [InlineData("file:///srv/git/calc.git", "Repositories:AllowLocal is off")]
    [InlineData("https://deploy:hunter2-token@github.com/o/calc.git", "must not carry credentials")]
    [InlineData("ext::sh -c id", "transports")]
    [InlineData("--upload-pack=id", "must not start with '-'")]
    [InlineData("https://gitlab.com/o/calc.git", "'gitlab.com' over https")]
    public async Task Refused_repositories_are_400_problems_naming_the_field_and_create_nothing(string repository, string reason)
    {
        await using var api = await ApiHost.StartAsync(_root.Path);
        var client = api.Client(ApiHost.FirstKey);
        var ct = TestContext.Current.CancellationToken;

        var response = await client.PostAsJsonAsync("/features", new { repository, request = "Add Power", script = "demo-power" }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await ProblemAsync(response)).GetProperty("errors").GetProperty("repository")[0].GetString();
        Assert.Contains(reason, message);
        Assert.DoesNotContain("hunter2", await response.Content.ReadAsStringAsync(ct));
        Assert.Empty(await client.GetFromJsonAsync<JsonElement[]>("/features", ct) ?? []);
        Assert.Equal(0, api.RepositoryChecks);
    }

    [Fact]
    public async Task A_token_budget_over_the_maximum_is_a_400_naming_the_setting()
    {
        await using var api = await ApiHost.StartAsync(_root.Path, ("Features:MaxTokenBudget", "5000000"));
        var ct = TestContext.Current.CancellationToken;

        var response = await api.Client(ApiHost.FirstKey).PostAsJsonAsync(
            "/features", new { repository = "https://github.com/o/calc.git", request = "Add Power", script = "demo-power", tokenBudget = 5_000_001 }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            "The token budget must be at most 5000000 (Features:MaxTokenBudget).",
            (await ProblemAsync(response)).GetProperty("errors").GetProperty("tokenBudget")[0].GetString());
        Assert.Equal(0, api.RepositoryChecks);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string? authorization = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static Task<HttpResponseMessage> PostMalformedAsync(HttpClient client) =>
        client.PostAsync("/features", new StringContent("{\"repository\": ", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string title, string challenge)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(challenge, response.Headers.WwwAuthenticate.ToString());
        var problem = await ProblemAsync(response);
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain(WrongKey, problem.ToString());
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
    }
}
