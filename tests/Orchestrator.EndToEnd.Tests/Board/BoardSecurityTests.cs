using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;

namespace Orchestrator.EndToEnd.Tests.Board;

/// <summary>
/// The board shows untrusted text (requests, model output, failure reasons) as text. The API's answers are played by the
/// browser's request routing here, so the test needs no feature run: hostile markup in every field the page shows.
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class BoardSecurityTests(OrchestratorApp app)
{
    private const string Hostile = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";
    private const string Key = "board-test-key-not-configured-anywhere-0123456789";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task The_board_shows_hostile_titles_requests_and_reasons_as_text_and_links_only_web_pull_requests()
    {
        var hostileId = Guid.NewGuid();
        var safeId = Guid.NewGuid();
        var taskId = $"task-{Hostile}";
        var requests = new ConcurrentQueue<IRequest>();
        await using var browser = await BoardBrowser.StartAsync(app);
        await browser.Page.RouteAsync("**/features", route => Answer(route, requests, "application/json",
            JsonSerializer.Serialize(new[] { HostileFeature(hostileId, taskId), SafeFeature(safeId) }, Json)));
        await browser.Page.RouteAsync($"**/features/{hostileId}/events", route => Answer(route, requests, "text/event-stream",
            $"event: feature\ndata: {JsonSerializer.Serialize(HostileFeature(hostileId, taskId), Json)}\n\n"));
        await browser.Page.RouteAsync("**/log", route => Answer(route, requests, "application/json",
            JsonSerializer.Serialize(new { featureId = hostileId, taskId, entries = new[] { HostileEntry() } }, Json)));
        await browser.Page.RouteAsync("**/log/events", route => Answer(route, requests, "text/event-stream", ": nothing new\n\n"));

        var page = await browser.OpenAsync();
        Assert.Contains("default-src 'self'", await page.HeaderValueAsync("content-security-policy"));
        Assert.DoesNotContain("unsafe-inline", await page.HeaderValueAsync("content-security-policy"));
        Assert.Equal("nosniff", await page.HeaderValueAsync("x-content-type-options"));
        await browser.EnterKeyAsync(Key);

        // The list: the hostile title is text; only the https pull request is a link.
        var hostileRow = browser.Page.Locator($"tr[data-feature-id='{hostileId}']");
        await Assertions.Expect(hostileRow.Locator(".feature-title")).ToHaveTextAsync(Hostile);
        Assert.Equal(0, await hostileRow.Locator("a.pull-request").CountAsync());
        await Assertions.Expect(hostileRow.Locator("span.pull-request")).ToHaveTextAsync("#7");
        await Assertions.Expect(browser.Page.Locator($"tr[data-feature-id='{safeId}'] a.pull-request"))
            .ToHaveAttributeAsync("href", "https://github.example/octo/calculator/pull/8");

        // The feature: title, request, failure reason, task, verification, all as text.
        await hostileRow.Locator(".feature-title").ClickAsync();
        await Assertions.Expect(browser.Page.Locator("[data-testid=feature-state]")).ToHaveAttributeAsync("data-state", "Failed");
        await Assertions.Expect(browser.Page.Locator("h2.feature-title")).ToContainTextAsync(Hostile);
        await Assertions.Expect(browser.Page.Locator("[data-testid=request]")).ToHaveTextAsync($"Please {Hostile}");
        await Assertions.Expect(browser.Page.Locator("[data-testid=failure-reason]")).ToContainTextAsync($"boom {Hostile}");
        var task = browser.Page.Locator(".task").First;
        await Assertions.Expect(task.Locator(".task-title")).ToHaveTextAsync(Hostile);
        await Assertions.Expect(task.Locator(".task-id")).ToHaveTextAsync(taskId);
        await Assertions.Expect(browser.Page.Locator("[data-testid=verification] pre")).ToHaveTextAsync(Hostile);
        Assert.Equal(0, await browser.Page.Locator("[data-testid=pull-request] a").CountAsync());
        await AssertNoMarkupRanAsync(browser);

        // The task's transcript: the agent's tool summary is text too.
        await task.Locator(".transcript-link").ClickAsync();
        await Assertions.Expect(browser.Page.Locator("[data-testid=transcript] tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(browser.Page.Locator("[data-testid=transcript] tbody tr td pre").First).ToHaveTextAsync(Hostile);
        await AssertNoMarkupRanAsync(browser);

        // The key went in the Authorization header of every API call, never in an address.
        Assert.NotEmpty(requests);
        Assert.All(requests, request =>
        {
            Assert.Equal($"Bearer {Key}", request.Headers["authorization"]);
            Assert.DoesNotContain(Key, request.Url);
        });
        browser.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_board_s_files_are_served_without_a_key_with_nosniff_and_the_api_still_needs_one()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = app.CreateClient(key: null);

        var script = await anonymous.GetAsync("/board/app.js", ct);
        Assert.True(script.StatusCode == HttpStatusCode.OK, $"{script.StatusCode} {script.Headers.Location}");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(script.Headers.GetValues("X-Content-Type-Options")));
        Assert.DoesNotContain(app.ApiKey, await script.Content.ReadAsStringAsync(ct));

        var bare = await anonymous.GetAsync("/board", ct);
        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
        Assert.Equal("/board/", bare.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("<script type=\"module\" src=\"app.js\">", await bare.Content.ReadAsStringAsync(ct));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/features", ct)).StatusCode);
    }

    private static async Task AssertNoMarkupRanAsync(BoardBrowser browser)
    {
        Assert.Equal(0, await browser.Page.Locator("#view img, #view script").CountAsync());
        Assert.True(await browser.Page.EvaluateAsync<bool>("() => window.__pwned === undefined"), "hostile markup ran on the page");
    }

    private static Task Answer(IRoute route, ConcurrentQueue<IRequest> requests, string contentType, string body)
    {
        requests.Enqueue(route.Request);
        return route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = contentType, Body = body });
    }

    private static object HostileFeature(Guid id, string taskId) => new
    {
        id,
        state = "Failed",
        repository = $"/srv/{Hostile}",
        baseBranch = "main",
        request = $"Please {Hostile}",
        model = "scripted",
        scripted = true,
        title = Hostile,
        summary = Hostile,
        @interface = Hostile,
        failureReason = $"boom {Hostile}",
        submittedAt = DateTimeOffset.UtcNow.AddMinutes(-3),
        updatedAt = DateTimeOffset.UtcNow,
        tasks = new[]
        {
            new
            {
                id = taskId, role = "coder", title = Hostile, state = "Failed", attempts = 2, dependsOn = Array.Empty<string>(),
                branch = Hostile, summary = Hostile, failureReason = Hostile, instance = Hostile,
                usage = new { inputTokens = 10, outputTokens = 5, calls = 1 }, earlierFailures = new[] { Hostile },
            },
        },
        usage = new { inputTokens = 10, outputTokens = 5, calls = 1 },
        tokenBudget = 100_000,
        pullRequest = new { number = 7, url = "javascript:window.__pwned=3", head = Hostile, @base = "main", repository = "r", forge = Hostile },
        verification = new { passed = false, command = Hostile, summary = Hostile, ran = true },
    };

    private static object SafeFeature(Guid id) => new
    {
        id,
        state = "Completed",
        repository = "https://github.example/octo/calculator.git",
        baseBranch = "main",
        request = "Add a Power method",
        title = "Add a Power method",
        submittedAt = DateTimeOffset.UtcNow.AddHours(-1),
        tasks = Array.Empty<object>(),
        pullRequest = new { number = 8, url = "https://github.example/octo/calculator/pull/8", head = "h", @base = "main", repository = "r", forge = "github" },
    };

    private static object HostileEntry() => new
    {
        attempt = 1, sequence = 1, at = DateTimeOffset.UtcNow, kind = "tool", name = Hostile, summary = Hostile, result = Hostile,
        ok = false, durationMs = 12,
    };
}
