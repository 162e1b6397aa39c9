using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>The hard cases of consolidation, with real git: conflicting tasks and a merged result that fails its tests.</summary>
[Collection(OrchestratorCollection.Name)]
public sealed class ConflictAndFixTests(OrchestratorApp app)
{
    private static readonly TimeSpan FeatureTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Two_tasks_editing_the_same_lines_are_resolved_by_the_coder_into_one_pull_request()
    {
        var (repository, feature) = await RunAsync("demo-conflict", "Add Power and Modulo to the calculator");

        Assert.True(feature.GetProperty("state").GetString() == "Completed", $"feature did not complete: {feature}");
        var resolution = Task(feature, "resolve-conflicts-1");
        Assert.Equal("Completed", resolution.GetProperty("state").GetString());
        Assert.Contains("src/Calculator/Arithmetic.cs", resolution.GetProperty("changedFiles").EnumerateArray().Select(f => f.GetString()));
        Assert.True(feature.GetProperty("verification").GetProperty("passed").GetBoolean());

        var head = feature.GetProperty("pullRequest").GetProperty("head").GetString()!;
        var code = Show(repository, head, "src/Calculator/Arithmetic.cs");
        Assert.Contains("public static double Power(", code);
        Assert.Contains("public static double Modulo(", code);
        Assert.DoesNotContain("<<<<<<<", code);
        Assert.Single(TargetRepository.PullRequests(repository));
    }

    [Fact]
    public async Task Conflicts_the_coder_cannot_resolve_fail_the_feature_listing_the_files()
    {
        var (repository, feature) = await RunAsync("demo-conflict-unresolved", "Add Power and Modulo to the calculator");

        Assert.Equal("Failed", feature.GetProperty("state").GetString());
        var reason = feature.GetProperty("failureReason").GetString()!;
        Assert.Contains("src/Calculator/Arithmetic.cs", reason);
        Assert.Contains("conflict", reason);
        Assert.Empty(TargetRepository.PullRequests(repository));
    }

    /// <summary>
    /// Both repair loops in one run: the verification fails and fix-verification-1 fixes it; then the Reviewer requests
    /// changes (review-1), address-review-1 makes them, the result is verified again and review-2 approves with a note.
    /// </summary>
    [Fact]
    public async Task A_merged_result_that_fails_its_tests_is_fixed_then_reviewed_fixed_again_and_approved_and_the_pull_request_shows_both()
    {
        var (repository, feature) = await RunAsync("demo-fix", "Add Power to the calculator", review: true);

        Assert.True(feature.GetProperty("state").GetString() == "Completed", $"feature did not complete: {feature}");
        Assert.Equal("Completed", Task(feature, "fix-verification-1").GetProperty("state").GetString());
        var verification = feature.GetProperty("verification");
        Assert.True(verification.GetProperty("passed").GetBoolean());
        Assert.Contains("Passed:    22", verification.GetProperty("summary").GetString());
        foreach (var id in new[] { "review-1", "address-review-1", "review-2" })
        {
            Assert.Equal("Completed", Task(feature, id).GetProperty("state").GetString());
        }

        Assert.Equal("reviewer", Task(feature, "review-1").GetProperty("role").GetString());
        var review = feature.GetProperty("review");
        Assert.Equal(("approve", 2, 1, "ApprovedWithNotes"), (review.GetProperty("verdict").GetString(), review.GetProperty("rounds").GetInt32(),
            review.GetProperty("findingsCount").GetInt32(), review.GetProperty("outcome").GetString()));

        var head = feature.GetProperty("pullRequest").GetProperty("head").GetString()!;
        Assert.Contains("remaining >>= 1", Show(repository, head, "src/Calculator/Arithmetic.cs"));
        var body = Assert.Single(TargetRepository.PullRequests(repository)).GetProperty("body").GetString()!;
        Assert.Matches(@"Passed: `dotnet test --nologo` exited 0 on the merged commit `[0-9a-f]{10}`\. It ran in the sandbox", body);
        Assert.Contains("fix-verification-1", body);
        Assert.Contains("address-review-1", body);
        Assert.Contains("**Approved with notes:**", body);
        Assert.Contains("(2 reviews by the Reviewer agent)", body);
        Assert.Contains("- `src/Calculator/Arithmetic.cs:36` (suggestion):", body);

        // The reviewer's conversation is in the transcripts like an agent's: its tool call, then its answer.
        var log = await app.Api.GetStringAsync($"/features/{feature.GetProperty("id").GetString()}/tasks/review-1/log", TestContext.Current.CancellationToken);
        Assert.Contains("workspace_read_file", log);
    }

    private async Task<(string Repository, JsonElement Feature)> RunAsync(string script, string request, bool review = false)
    {
        var repository = app.CreateSampleRepository();
        var response = await app.Api.PostAsJsonAsync("/features", new { repository, request, script, review }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (repository, await app.WaitForEndAsync(response.Headers.Location!.ToString(), FeatureTimeout));
    }

    private static JsonElement Task(JsonElement feature, string id) =>
        feature.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("id").GetString() == id);

    private static string Show(string repository, string branch, string path)
    {
        var show = OrchestratorApp.Run("git", ["--git-dir", repository, "show", $"refs/heads/{branch}:{path}"], repository);
        Assert.True(show.ExitCode == 0, show.Text);
        return show.Stdout;
    }
}
