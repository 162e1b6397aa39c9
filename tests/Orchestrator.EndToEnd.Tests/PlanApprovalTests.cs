using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// Plan approval on the running system: a feature submitted with <c>approvePlan</c> stops after planning with its plan
/// showing and nothing dispatched; the CLI shows how to answer it and rejects it; it fails with the reason. No agent
/// works for it, so it is cheap.
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class PlanApprovalTests(OrchestratorApp app)
{
    [Fact]
    public async Task A_feature_awaiting_approval_shows_its_plan_dispatches_nothing_and_fails_with_the_rejection_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = app.CreateSampleRepository();

        var response = await app.Api.PostAsJsonAsync("/features", new
        {
            repository,
            request = "Add a Power(base, exponent) method to the calculator, with tests and a README section",
            script = "demo-power",
            approvePlan = true,
        }, ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        var id = location.Split('/')[^1];

        var waiting = await WaitForStateAsync(location, "AwaitingApproval", ct);
        var tasks = waiting.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(["coder", "docs", "tester"], tasks.Select(t => t.GetProperty("role").GetString()).Order());
        Assert.All(tasks, t => Assert.Equal(("Pending", 0), (t.GetProperty("state").GetString(), t.GetProperty("attempts").GetInt32())));
        Assert.All(tasks, t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("instructions").GetString())));
        Assert.True(waiting.GetProperty("approvalDeadline").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));

        var status = await CliProcess.StartAsync(app.Api.BaseAddress!, app.ApiKey, ["status", id], TimeSpan.FromMinutes(1), ct);
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Contains($"orchestrator approve {id}", status.Output, StringComparison.Ordinal);

        var rejected = await CliProcess.StartAsync(
            app.Api.BaseAddress!, app.ApiKey, ["reject", id, "--reason", "split the docs into their own feature"], TimeSpan.FromMinutes(1), ct);
        Assert.True(rejected.ExitCode == 0, rejected.Output);

        var feature = await app.WaitForEndAsync(location, TimeSpan.FromMinutes(2));
        Assert.Equal("Failed", feature.GetProperty("state").GetString());
        Assert.Equal("The plan was rejected: split the docs into their own feature", feature.GetProperty("failureReason").GetString());
        Assert.All(feature.GetProperty("tasks").EnumerateArray(), t => Assert.Equal(0, t.GetProperty("attempts").GetInt32()));
        Assert.Empty(TargetRepository.PullRequests(repository));

        var late = await app.Api.PostAsync($"{location}/approve", null, ct);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    private async Task<JsonElement> WaitForStateAsync(string location, string state, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        var feature = await app.Api.GetFromJsonAsync<JsonElement>(location, ct);
        while (feature.GetProperty("state").GetString() != state && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(200, ct);
            feature = await app.Api.GetFromJsonAsync<JsonElement>(location, ct);
        }

        Assert.True(feature.GetProperty("state").GetString() == state, $"the feature did not reach {state}: {feature}");
        return feature;
    }
}
