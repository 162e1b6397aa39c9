using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// The whole system against an OpenAI-compatible endpoint (the stand-in, speaking the real protocol), through
/// Semantic Kernel's OpenAI connector in the planner and every agent.
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class RealModelTests(OrchestratorApp app)
{
    private static readonly TimeSpan FeatureTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task A_feature_without_a_script_runs_end_to_end_on_the_configured_model_endpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = app.CreateSampleRepository();
        var before = app.Llm.Requests.Count;

        var response = await app.Api.PostAsJsonAsync("/features", new
        {
            repository,
            request = "Add a Power(base, exponent) method to the calculator, with tests and a README section",
            // The Reviewer's answer too goes over the wire: one JSON object in the message content.
            review = true,
        }, ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var feature = await app.WaitForEndAsync(response.Headers.Location!.ToString(), FeatureTimeout);

        Assert.True(feature.GetProperty("state").GetString() == "Completed", $"feature did not complete: {feature}");
        Assert.False(feature.GetProperty("scripted").GetBoolean());
        Assert.Equal($"openai:{OpenAiStandIn.DefaultModel}", feature.GetProperty("model").GetString());
        Assert.True(feature.GetProperty("usage").GetProperty("inputTokens").GetInt64() > 0);

        var requests = app.Llm.Requests.Skip(before).ToList();
        // Every turn of the demo script the stand-in plays (the planner's and each task's) was a request to the endpoint.
        var demo = Orchestrator.Llm.Devices.ModelScriptParser.Parse(
            "demo-power", File.ReadAllText(Path.Combine(OrchestratorApp.RepositoryRoot, "samples", "scripts", "demo-power.json")));
        var turns = new[] { "planner", "implement-power", "test-power", "document-power" }.Sum(agent => demo.TurnsFor(agent).Count);
        Assert.True(requests.Count >= turns, $"expected the planner and every agent turn ({turns}) to reach the endpoint, saw {requests.Count}");
        Assert.All(requests, r => Assert.True(r.HadBearerAuth));
        Assert.Contains(requests, r => r.ToolNames.Any(n => n.Contains("write_file", StringComparison.Ordinal)));
        // The planner's read-only tools were offered too, and only those in its requests.
        Assert.Contains(requests, r => r.ToolNames.Count == 3 && r.ToolNames.All(n => n.StartsWith("repository", StringComparison.Ordinal)));
        Assert.Contains(requests, r => r.ResponseFormat is not null);
        // The reviewer was offered the read-only tools alone, and its approval reached the pull request.
        var reviewer = requests.Where(r => r.Messages.Any(m => m.Content?.Contains("Your task (review-1)", StringComparison.Ordinal) == true)).ToList();
        Assert.NotEmpty(reviewer);
        Assert.All(reviewer, r => Assert.DoesNotContain(r.ToolNames, n => n.Contains("write_file", StringComparison.Ordinal) || n.Contains("edit_file", StringComparison.Ordinal)));
        Assert.Equal("approve", feature.GetProperty("review").GetProperty("verdict").GetString());

        var head = feature.GetProperty("pullRequest").GetProperty("head").GetString()!;
        var body = PullRequestBody(repository);
        Assert.DoesNotContain("Scripted run", body);
        Assert.Contains($"Model: openai:{OpenAiStandIn.DefaultModel}", body);
        Assert.Contains("**Approved.** (1 review by the Reviewer agent)", body);
        var log = OrchestratorApp.Run("git", ["--git-dir", repository, "log", "--format=%B", $"refs/heads/{head}"], repository);
        Assert.DoesNotContain(app.Canaries.LlmKey, log.Stdout + body);
    }

    [Fact]
    public async Task An_endpoint_that_keeps_failing_fails_the_feature_with_the_reason()
    {
        var response = await app.Api.PostAsJsonAsync("/features", new
        {
            repository = app.CreateSampleRepository(),
            request = $"Add a Power method {ScriptedStandIn.StormMarker}",
        }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var feature = await app.WaitForEndAsync(response.Headers.Location!.ToString(), FeatureTimeout);

        Assert.Equal("Failed", feature.GetProperty("state").GetString());
        Assert.Contains("500", feature.GetProperty("failureReason").GetString());
    }

    [Fact]
    public async Task A_feature_that_runs_out_of_tokens_ends_failed_with_budget_exceeded()
    {
        var response = await app.Api.PostAsJsonAsync("/features", new
        {
            repository = app.CreateSampleRepository(),
            request = "Add a Power(base, exponent) method to the calculator, with tests and a README section",
            script = "demo-power",
            tokenBudget = 1_500,
        }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var feature = await app.WaitForEndAsync(response.Headers.Location!.ToString(), FeatureTimeout);

        Assert.Equal("Failed", feature.GetProperty("state").GetString());
        Assert.Contains("Token budget exceeded", feature.GetProperty("failureReason").GetString());
        Assert.Equal(JsonValueKind.Null, feature.GetProperty("pullRequest").ValueKind);
    }

    private static string PullRequestBody(string repository)
    {
        return Assert.Single(TargetRepository.PullRequests(repository)).GetProperty("body").GetString()!;
    }
}
