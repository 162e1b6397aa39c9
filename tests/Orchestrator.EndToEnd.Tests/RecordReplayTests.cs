using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>A whole multi-agent run recorded against the model endpoint, then replayed with the endpoint out of the picture.</summary>
[Collection(OrchestratorCollection.Name)]
public sealed class RecordReplayTests(OrchestratorApp app)
{
    private const string Request = "Add a Power(base, exponent) method to the calculator, with tests and a README section";
    private static readonly TimeSpan FeatureTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task A_recorded_run_replays_offline_to_the_same_branch_content_and_pull_request()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = app.CreateSampleRepository();

        var recorded = await RunAsync(new { repository, request = Request, record = true });
        Assert.True(recorded.GetProperty("state").GetString() == "Completed", $"the recorded run did not complete: {recorded}");
        var cassette = Path.Combine(app.Root, "cassettes", $"{recorded.GetProperty("id").GetGuid():N}.cassette.json");
        await WaitForFileAsync(cassette, ct);
        var recording = File.ReadAllText(cassette);
        Assert.DoesNotContain(app.Canaries.LlmKey, recording);

        var requestsBefore = app.Llm.Requests.Count;
        var replayed = await RunAsync(new { repository, request = Request, replay = Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(cassette)) });

        Assert.True(replayed.GetProperty("state").GetString() == "Completed", $"the replay did not complete: {replayed}");
        Assert.StartsWith("replay:", replayed.GetProperty("model").GetString());
        Assert.Equal(requestsBefore, app.Llm.Requests.Count);

        // Same content on both feature branches, task by task and merged.
        Assert.Equal(Tree(repository, Head(recorded)), Tree(repository, Head(replayed)));
        var pulls = TargetRepository.PullRequests(repository).ToDictionary(p => p.GetProperty("head").GetString()!);
        Assert.Equal(AgentSections(pulls[Head(recorded)]), AgentSections(pulls[Head(replayed)]));
    }

    private async Task<JsonElement> RunAsync(object body)
    {
        var response = await app.Api.PostAsJsonAsync("/features", body, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await app.WaitForEndAsync(response.Headers.Location!.ToString(), FeatureTimeout);
    }

    private static string Head(JsonElement feature) => feature.GetProperty("pullRequest").GetProperty("head").GetString()!;

    private static string Tree(string repository, string branch) =>
        OrchestratorApp.Run("git", ["--git-dir", repository, "rev-parse", $"refs/heads/{branch}^{{tree}}"], repository).Stdout.Trim();

    // The body apart from what differs by nature: ids, commits, times (also the test run's), the model label.
    private static string AgentSections(JsonElement pullRequest)
    {
        var body = pullRequest.GetProperty("body").GetString()!;
        var start = body.IndexOf("## Summary", StringComparison.Ordinal);
        var tasks = body.IndexOf("## Tasks", StringComparison.Ordinal);
        var agents = body.IndexOf("## What each agent did", StringComparison.Ordinal);
        var footer = body.IndexOf("## Verification", StringComparison.Ordinal);
        Assert.True(start >= 0 && tasks > start && agents > tasks && footer > agents, body);
        return body[start..tasks] + body[agents..footer];
    }

    private static async Task WaitForFileAsync(string path, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (!File.Exists(path) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(200, ct);
        }

        Assert.True(File.Exists(path), $"no cassette at {path}");
    }
}
