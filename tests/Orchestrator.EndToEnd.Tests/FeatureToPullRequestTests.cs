using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orchestrator.EndToEnd.Tests;

[Collection(OrchestratorCollection.Name)]
public sealed partial class FeatureToPullRequestTests(OrchestratorApp app)
{
    private static readonly TimeSpan FeatureTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task The_demo_feature_becomes_one_pull_request_whose_branch_holds_every_task_and_passes_the_sample_tests()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = app.CreateSampleRepository();

        var response = await app.Api.PostAsJsonAsync("/features", new
        {
            repository,
            baseBranch = "main",
            request = "Add a Power(base, exponent) method to the calculator, with tests and a README section",
            script = "demo-power",
        }, ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.ToString();

        var feature = await app.WaitForEndAsync(location, FeatureTimeout);

        Assert.True(feature.GetProperty("state").GetString() == "Completed", $"feature did not complete: {feature}");
        Assert.True(feature.GetProperty("scripted").GetBoolean());
        var tasks = feature.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(["coder", "docs", "tester"], tasks.Select(t => t.GetProperty("role").GetString()).Order());
        Assert.All(tasks, t => Assert.Equal("Completed", t.GetProperty("state").GetString()));

        var pullRequest = feature.GetProperty("pullRequest");
        var head = pullRequest.GetProperty("head").GetString()!;
        Assert.Equal("main", pullRequest.GetProperty("base").GetString());
        Assert.Equal(repository, pullRequest.GetProperty("repository").GetString());

        // The forge has the feature branch, and it contains every task's commit.
        Assert.Equal(0, Git(repository, "rev-parse", "--verify", $"refs/heads/{head}").ExitCode);
        foreach (var task in tasks)
        {
            var commit = task.GetProperty("commit").GetString()!;
            Assert.True(Git(repository, "merge-base", "--is-ancestor", commit, $"refs/heads/{head}").ExitCode == 0,
                $"task {task.GetProperty("id")} commit {commit} is not on {head}");
        }

        // Exactly one pull request, from the feature branch, saying it was scripted.
        var record = Assert.Single(TargetRepository.PullRequests(repository));
        Assert.Equal(head, record.GetProperty("head").GetString());
        Assert.Equal("open", record.GetProperty("state").GetString());
        var body = record.GetProperty("body").GetString()!;
        Assert.Contains("Scripted run", body);
        Assert.All(tasks, t => Assert.Contains(t.GetProperty("branch").GetString()!, body));
        Assert.Contains($"`orchestrator logs {feature.GetProperty("id").GetString()} --task <task>`", body);
        // The sample's AGENTS.md was given to the planner and the agents, and the pull request says so.
        Assert.Contains("**Repository instructions used:** `AGENTS.md`", body);
        Assert.Equal(["AGENTS.md"], feature.GetProperty("instructionFiles").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["src/Calculator/Arithmetic.cs"], tasks.Single(t => t.GetProperty("id").GetString() == "implement-power")
            .GetProperty("files").EnumerateArray().Select(f => f.GetString()));

        // The planner looked at the base branch (through the staging server) before it planned, with read-only tools.
        var planner = await app.Api.GetFromJsonAsync<JsonElement>($"{location}/tasks/planner/log", ct);
        var steps = planner.GetProperty("entries").EnumerateArray().ToList();
        Assert.True(steps.Any(e => e.GetProperty("kind").GetString() == "tool" && e.GetProperty("name").GetString() == "repository_list_files"
            && e.GetProperty("ok").GetBoolean() && e.GetProperty("result").GetString()!.Contains("AGENTS.md")), $"no exploration in {planner}");
        Assert.True(steps.Any(e => e.GetProperty("name").GetString() == "repository_read_file"
            && e.GetProperty("result").GetString()!.Contains("public static class Arithmetic")), $"no file read in {planner}");
        // Its clone of the base branch is gone.
        var plannerClones = Path.Combine(app.Root, "planner");
        Assert.True(Directory.Exists(plannerClones), $"the planner made no clone under {plannerClones}");
        Assert.Empty(Directory.EnumerateDirectories(plannerClones, $"{Guid.Parse(feature.GetProperty("id").GetString()!):N}-*"));

        // Every task's transcript: the model's turns with their tokens, and the tool calls they asked for.
        foreach (var task in tasks)
        {
            var taskId = task.GetProperty("id").GetString()!;
            var log = await app.Api.GetFromJsonAsync<JsonElement>($"{location}/tasks/{taskId}/log", ct);
            var entries = log.GetProperty("entries").EnumerateArray().ToList();
            Assert.True(entries.Any(e => e.GetProperty("kind").GetString() == "model"
                && e.GetProperty("inputTokens").GetInt64() > 0 && e.GetProperty("outputTokens").GetInt64() > 0), $"{taskId}: no model turn with tokens in {log}");
            Assert.True(entries.Any(e => e.GetProperty("kind").GetString() == "tool" && e.GetProperty("ok").GetBoolean()), $"{taskId}: no tool call in {log}");
        }

        // The merged result really builds and passes the sample's own tests, the new ones included.
        var checkout = Path.Combine(app.Root, "verify", Guid.NewGuid().ToString("N"));
        Assert.Equal(0, OrchestratorApp.Run("git", ["clone", "--quiet", "--branch", head, repository, checkout], app.Root).ExitCode);
        Assert.True(File.Exists(Path.Combine(checkout, "tests", "Calculator.Tests", "PowerTests.cs")));
        Assert.Contains("Power", File.ReadAllText(Path.Combine(checkout, "README.md")));
        var test = OrchestratorApp.Run("dotnet", ["test", "--nologo"], checkout);
        Assert.True(test.ExitCode == 0, test.Text);
        var passed = PassedCount().Matches(test.Text).Sum(m => int.Parse(m.Groups[1].Value));
        Assert.True(passed > 11, $"expected the new Power tests to run as well; passed: {passed}\n{test.Text}");
    }

    [Fact]
    public async Task A_task_whose_agent_cannot_finish_fails_the_feature_with_the_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = app.CreateSampleRepository();

        var response = await app.Api.PostAsJsonAsync("/features", new
        {
            repository,
            request = "Add a Modulo method",
            script = "demo-failing-task",
        }, ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var feature = await app.WaitForEndAsync(response.Headers.Location!.ToString(), FeatureTimeout);

        Assert.Equal("Failed", feature.GetProperty("state").GetString());
        var reason = feature.GetProperty("failureReason").GetString()!;
        Assert.Contains("implement-modulo", reason);
        Assert.Contains("has no turn", reason);
        Assert.False(Directory.Exists(Path.Combine(repository, "orchestrator", "pulls")));
    }

    [Fact]
    public async Task Invalid_requests_are_refused_with_problem_details_and_create_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = app.CreateSampleRepository();
        var before = (await app.Api.GetFromJsonAsync<JsonElement>("/features", ct)).GetArrayLength();

        await AssertProblem(new { repository, request = "  ", script = "demo-power" }, HttpStatusCode.BadRequest, "request");
        await AssertProblem(new { repository = "/nowhere/missing.git", request = "x", script = "demo-power" }, HttpStatusCode.BadRequest, "repository");
        await AssertProblem(new { repository, baseBranch = "no-such-branch", request = "x", script = "demo-power" }, HttpStatusCode.BadRequest, "baseBranch");
        await AssertProblem(new { repository, request = "x", script = "no-such-script" }, HttpStatusCode.BadRequest, "script");

        var malformed = await app.Api.PostAsync("/features", new StringContent("{\"repository\": ", Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not valid JSON", await malformed.Content.ReadAsStringAsync(ct));

        var oversized = await app.Api.PostAsJsonAsync("/features", new { repository, request = new string('x', 100_000), script = "demo-power" }, ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);

        var unknown = await app.Api.GetAsync($"/features/{Guid.NewGuid()}", ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var after = (await app.Api.GetFromJsonAsync<JsonElement>("/features", ct)).GetArrayLength();
        Assert.Equal(before, after);

        async Task AssertProblem(object body, HttpStatusCode status, string field)
        {
            var response = await app.Api.PostAsJsonAsync("/features", body, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == status, $"{response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var errors), text);
            Assert.False(string.IsNullOrWhiteSpace(errors[0].GetString()));
        }
    }

    private static (int ExitCode, string Text, string Stdout) Git(string repository, params string[] arguments) =>
        OrchestratorApp.Run("git", ["--git-dir", repository, .. arguments], repository);

    [GeneratedRegex(@"Passed:\s+(\d+)")]
    private static partial Regex PassedCount();
}
