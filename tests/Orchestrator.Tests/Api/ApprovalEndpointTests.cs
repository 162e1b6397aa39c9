using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orchestrator.Contracts;

namespace Orchestrator.Tests.Api;

/// <summary>
/// <c>POST /features/{id}/approve</c> and <c>/reject</c> over HTTP, on the real saga (in memory): 404 for an unknown
/// feature, 409 for one that does not wait, 400 naming what is wrong (and nothing changes), 202 and the feature moves on.
/// </summary>
public sealed class ApprovalEndpointTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("approve")]
    [InlineData("reject")]
    public async Task An_unknown_feature_is_a_404_problem(string action)
    {
        await using var api = await ApiHost.StartAsync(_root.Path);

        var response = await api.Client(ApiHost.FirstKey).PostAsJsonAsync($"/features/{Guid.NewGuid()}/{action}", new { }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("approve")]
    [InlineData("reject")]
    public async Task A_feature_that_does_not_wait_for_approval_is_a_409_problem(string action)
    {
        await using var api = await ApiHost.StartAsync(_root.Path);
        var id = await SubmitAsync(api, approvePlan: false);

        var response = await api.Client(ApiHost.FirstKey).PostAsync($"/features/{id}/{action}", null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("Feature not awaiting approval", problem.GetProperty("title").GetString());
        Assert.Contains("is Planning", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_waiting_feature_shows_its_plan_and_deadline_and_approval_dispatches_it()
    {
        await using var api = await ApiHost.StartAsync(_root.Path, ("Features:ApprovalTimeout", "02:00:00"));
        var id = await AwaitingApprovalAsync(api);

        var waiting = await FeatureAsync(api, id);
        var approved = await api.Client(ApiHost.FirstKey).PostAsync($"/features/{id}/approve", null, Ct);

        Assert.Equal(["implement"], waiting.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var deadline = waiting.GetProperty("approvalDeadline").GetDateTimeOffset();
        Assert.InRange(deadline - waiting.GetProperty("updatedAt").GetDateTimeOffset(), TimeSpan.FromHours(2), TimeSpan.FromHours(2));
        Assert.Equal(HttpStatusCode.Accepted, approved.StatusCode);
        Assert.Equal($"/features/{id}", approved.Headers.Location?.ToString());
        await WaitForStateAsync(api, id, "Executing");
        Assert.Equal(JsonValueKind.Null, (await FeatureAsync(api, id)).GetProperty("approvalDeadline").ValueKind);
    }

    [Fact]
    public async Task An_invalid_edited_plan_is_a_400_naming_its_problems_and_changes_nothing()
    {
        await using var api = await ApiHost.StartAsync(_root.Path);
        var id = await AwaitingApprovalAsync(api);
        var plan = new
        {
            title = "Edited",
            summary = "s",
            tasks = new object[]
            {
                new { id = "write-docs", role = "docs", title = "Docs", instructions = "Write", dependsOn = new[] { "nowhere" } },
            },
        };

        var response = await api.Client(ApiHost.FirstKey).PostAsJsonAsync($"/features/{id}/approve", new { plan }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problems = (await ProblemAsync(response)).GetProperty("errors").GetProperty("plan").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("task 'write-docs' depends on unknown task 'nowhere'", problems);
        Assert.Contains("the plan has no coder task", problems);
        var feature = await FeatureAsync(api, id);
        Assert.Equal("AwaitingApproval", feature.GetProperty("state").GetString());
        Assert.Equal("Add Power", feature.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("{\"plan\": ")]
    [InlineData("{\"plan\": \"not an object\"}")]
    [InlineData("{\"plan\": {\"title\": \"t\", \"tasks\": [{\"id\": \"a\", \"role\": \"boss\"}]}}")]
    public async Task A_malformed_approval_is_a_400(string body)
    {
        await using var api = await ApiHost.StartAsync(_root.Path);
        var id = await AwaitingApprovalAsync(api);

        var response = await api.Client(ApiHost.FirstKey).PostAsync(
            $"/features/{id}/approve", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("AwaitingApproval", (await FeatureAsync(api, id)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_approval_over_the_body_limit_is_a_413_and_changes_nothing()
    {
        await using var api = await ApiHost.StartAsync(_root.Path);
        var id = await AwaitingApprovalAsync(api);
        var plan = new { title = "t", summary = new string('s', (int)Orchestrator.Http.ApprovalEndpoints.MaxBodyBytes), tasks = Array.Empty<object>() };

        var response = await api.Client(ApiHost.FirstKey).PostAsync(
            $"/features/{id}/approve", new StringContent(JsonSerializer.Serialize(new { plan }), Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("AwaitingApproval", (await FeatureAsync(api, id)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_edited_plan_is_approved_and_replaces_the_planners()
    {
        await using var api = await ApiHost.StartAsync(_root.Path);
        var id = await AwaitingApprovalAsync(api);
        var plan = new
        {
            title = "Add Pow",
            summary = "edited",
            @interface = "double Pow(double, int)",
            tasks = new object[] { new { id = "implement-pow", role = "coder", title = "Pow", instructions = "Write Pow", dependsOn = Array.Empty<string>() } },
        };

        var response = await api.Client(ApiHost.FirstKey).PostAsJsonAsync($"/features/{id}/approve", new { plan }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var feature = await WaitForStateAsync(api, id, "Executing");
        Assert.Equal("Add Pow", feature.GetProperty("title").GetString());
        Assert.Equal("implement-pow", Assert.Single(feature.GetProperty("tasks").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_reason_too_long_is_a_400_and_a_rejection_fails_the_feature_with_its_reason()
    {
        await using var api = await ApiHost.StartAsync(_root.Path);
        var id = await AwaitingApprovalAsync(api);

        var tooLong = await api.Client(ApiHost.FirstKey).PostAsJsonAsync($"/features/{id}/reject", new { reason = new string('x', 1_001) }, Ct);
        var rejected = await api.Client(ApiHost.FirstKey).PostAsJsonAsync($"/features/{id}/reject", new { reason = "too big" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.True((await ProblemAsync(tooLong)).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.Accepted, rejected.StatusCode);
        var feature = await WaitForStateAsync(api, id, "Failed");
        Assert.Equal("The plan was rejected: too big", feature.GetProperty("failureReason").GetString());
    }

    [Fact]
    public async Task A_feature_waiting_for_budget_needs_a_token_budget_above_what_it_spent()
    {
        await using var api = await ApiHost.StartAsync(_root.Path, ("Features:ApproveBudgetIncrease", "true"), ("Features:MaxTokenBudget", "100000"), ("Features:DefaultTokenBudget", "100000"));
        var id = await SubmitAsync(api, approvePlan: false, tokenBudget: 1_000);
        await PlanAsync(api, id);
        await WaitForStateAsync(api, id, "Executing");
        await api.PublishAsync(new TaskFailed(id, "implement", 1, "budget exceeded", new TokenUsage(900, 100, 2)) { BudgetExceeded = true });
        await WaitForStateAsync(api, id, "AwaitingBudget");
        var client = api.Client(ApiHost.FirstKey);

        var missing = await client.PostAsJsonAsync($"/features/{id}/approve", new { }, Ct);
        var tooSmall = await client.PostAsJsonAsync($"/features/{id}/approve", new { tokenBudget = 1_015 }, Ct);
        var tooLarge = await client.PostAsJsonAsync($"/features/{id}/approve", new { tokenBudget = 100_001 }, Ct);
        var raised = await client.PostAsJsonAsync($"/features/{id}/approve", new { tokenBudget = 5_000 }, Ct);

        Assert.Contains("tokenBudget is required", await FieldErrorAsync(missing, "tokenBudget"), StringComparison.Ordinal);
        Assert.Contains("more than the 1015 tokens", await FieldErrorAsync(tooSmall, "tokenBudget"), StringComparison.Ordinal);
        Assert.Contains("Features:MaxTokenBudget", await FieldErrorAsync(tooLarge, "tokenBudget"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
        var feature = await WaitForStateAsync(api, id, "Executing");
        Assert.Equal(5_000, feature.GetProperty("tokenBudget").GetInt64());
        Assert.Equal(2, Assert.Single(feature.GetProperty("tasks").EnumerateArray()).GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Cancel_and_reject_read_a_reason_sent_chunked_as_the_cli_sends_it()
    {
        await using var api = await ApiHost.StartAsync(_root.Path);
        var waiting = await AwaitingApprovalAsync(api);
        var running = await SubmitAsync(api, approvePlan: false);

        // JsonContent cannot tell its length in advance: HttpClient sends it chunked, without Content-Length.
        var rejected = await api.Client(ApiHost.FirstKey).PostAsync($"/features/{waiting}/reject", JsonContent.Create(new { reason = "chunked" }), Ct);
        var cancelled = await api.Client(ApiHost.FirstKey).PostAsync($"/features/{running}/cancel", JsonContent.Create(new { reason = "chunked" }), Ct);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (rejected.StatusCode, cancelled.StatusCode));
        Assert.Equal("The plan was rejected: chunked", (await WaitForStateAsync(api, waiting, "Failed")).GetProperty("failureReason").GetString());
        Assert.Equal("Cancelled: chunked", (await WaitForStateAsync(api, running, "Cancelled")).GetProperty("failureReason").GetString());
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Guid> SubmitAsync(ApiHost api, bool approvePlan, long? tokenBudget = null)
    {
        var response = await api.Client(ApiHost.FirstKey).PostAsJsonAsync("/features", new
        {
            repository = "https://github.com/o/calc.git", request = "Add Power", script = "demo-power", approvePlan, tokenBudget,
        }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    private static async Task PlanAsync(ApiHost api, Guid id)
    {
        await api.PublishAsync(new WorkRepositoryPrepared(id, "http://merge/git/feature.git"));
        await api.PublishAsync(new FeaturePlanned(id, "Add Power", "summary", null,
            [new PlannedTask("implement", AgentRole.Coder, "Implement", "Write Power", [])], new TokenUsage(10, 5, 1)));
    }

    private static async Task<Guid> AwaitingApprovalAsync(ApiHost api)
    {
        var id = await SubmitAsync(api, approvePlan: true);
        await PlanAsync(api, id);
        await WaitForStateAsync(api, id, "AwaitingApproval");
        return id;
    }

    private static async Task<JsonElement> FeatureAsync(ApiHost api, Guid id) =>
        await api.Client(ApiHost.FirstKey).GetFromJsonAsync<JsonElement>($"/features/{id}", Ct);

    private static async Task<JsonElement> WaitForStateAsync(ApiHost api, Guid id, string state)
    {
        JsonElement feature = default;
        await Eventually.TrueAsync(async () => (feature = await FeatureAsync(api, id)).GetProperty("state").GetString() == state, Eventually.DefaultTimeout);
        Assert.Equal(state, feature.GetProperty("state").GetString());
        return feature;
    }

    private static async Task<string?> FieldErrorAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await ProblemAsync(response)).GetProperty("errors").GetProperty(field)[0].GetString();
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
    }
}
