using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// A company's GitHub Enterprise behind its own certificate authority, on a host with a port: the whole system
/// (submission check, work repository clone, consolidation push, pull request through Octokit) against the stand-in,
/// which the services trust only through <c>Forge:GitHub:CaFile</c>. The same run shows the feature as one trace and the
/// dashboard metrics (FeatureTelemetry).
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class GitHubEnterpriseTests(OrchestratorApp app)
{
    private const string Owner = "platform";
    private static readonly TimeSpan FeatureTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task A_feature_on_github_enterprise_behind_a_private_ca_ends_in_one_pull_request_on_its_branch()
    {
        var ct = TestContext.Current.CancellationToken;
        var name = "calculator-" + Guid.NewGuid().ToString("N")[..8];
        var repository = app.GitHub.AddRepository(Owner, name, app.CreateSampleRepository());

        var response = await app.Api.PostAsJsonAsync("/features", new
        {
            repository,
            request = "Add a Power(base, exponent) method to the calculator, with tests and a README section",
            script = "demo-power",
        }, ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(ct));
        var feature = await app.WaitForEndAsync(response.Headers.Location!.ToString(), FeatureTimeout);

        Assert.True(feature.GetProperty("state").GetString() == "Completed", $"feature did not complete: {feature}");
        var head = feature.GetProperty("pullRequest").GetProperty("head").GetString()!;
        var pull = Assert.Single(app.GitHub.PullRequests.All, p => p.Repo == name);
        Assert.Equal((head, "main", "open"), (pull.Head, pull.Base, pull.State));
        Assert.Equal($"{app.GitHub.BaseAddress}{Owner}/{name}/pull/{pull.Number}", feature.GetProperty("pullRequest").GetProperty("url").GetString());
        Assert.All(feature.GetProperty("tasks").EnumerateArray(), task => Assert.Contains(task.GetProperty("branch").GetString()!, pull.Body));

        // The branch on the forge holds the agents' work.
        Assert.Contains("Power", app.GitHub.FileOnBranch(Owner, name, head, "src/Calculator/Arithmetic.cs"));
        Assert.NotNull(app.GitHub.FileOnBranch(Owner, name, head, "tests/Calculator.Tests/PowerTests.cs"));

        var requests = app.GitHub.Requests.Where(r => r.PathAndQuery.Contains($"/{name}", StringComparison.Ordinal)).ToList();
        Assert.Contains(requests, r => r.PathAndQuery.EndsWith("/git-receive-pack", StringComparison.Ordinal));
        Assert.Contains(requests, r => r is { IsApi: true, Method: "POST" } && r.PathAndQuery.EndsWith("/pulls", StringComparison.Ordinal));
        // Nothing of the system's internals leaves with a request, and the token never rides in an address.
        Assert.DoesNotContain(requests, r => r.Headers.ContainsKey("traceparent") || r.Headers.ContainsKey("baggage"));
        Assert.DoesNotContain(requests, r => r.PathAndQuery.Contains(app.Canaries.ForgeToken, StringComparison.Ordinal));
        Assert.DoesNotContain(app.Llm.Requests, r => r.Headers.ContainsKey("traceparent") || r.Headers.ContainsKey("baggage"));

        // Inside, the feature is one trace from the submission on, across every service; and the dashboard has its metrics.
        await FeatureTelemetry.AssertOneTraceAsync(app.Telemetry, feature.GetProperty("id").GetString()!, OrchestratorApp.Services);
        await FeatureTelemetry.AssertDashboardMetricsAsync(app.Telemetry, model: "scripted:demo-power");
    }

    [Fact]
    public async Task A_repository_the_token_may_not_push_to_is_refused_at_submission_and_nothing_is_queued()
    {
        var ct = TestContext.Current.CancellationToken;
        var name = "read-only-" + Guid.NewGuid().ToString("N")[..8];
        var repository = app.GitHub.AddRepository(Owner, name, app.CreateSampleRepository(), canPush: false);
        var before = await FeatureCountAsync();

        var response = await app.Api.PostAsJsonAsync("/features", new { repository, request = "Add a Modulo method", script = "demo-power" }, ct);

        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        var reason = JsonDocument.Parse(text).RootElement.GetProperty("errors").GetProperty("repository")[0].GetString();
        Assert.Contains("may not push to it", reason, StringComparison.Ordinal);
        Assert.Equal(before, await FeatureCountAsync());
        Assert.DoesNotContain(app.GitHub.Requests, r => r.PathAndQuery.Contains($"/{name}", StringComparison.Ordinal)
                                                        && (r.PathAndQuery.Contains("receive-pack", StringComparison.Ordinal) || r is { IsApi: true, Method: not "GET" }));
    }

    private async Task<int> FeatureCountAsync() =>
        (await app.Api.GetFromJsonAsync<JsonElement>("/features", TestContext.Current.CancellationToken)).GetArrayLength();
}
