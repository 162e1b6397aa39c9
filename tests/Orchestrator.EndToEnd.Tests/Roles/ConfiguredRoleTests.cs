using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests.Roles;

/// <summary>
/// A role added by configuration alone (issue 13): the system runs with the shipped example <c>ops</c> role
/// (samples/roles/ops/appsettings.json, given to the AppHost by <see cref="OrchestratorApp"/>), for which the AppHost
/// starts one generic agent service. The planner gives it a task; it checks the CI workflow with
/// <c>workspace_run_command</c> in the sandbox and edits it, and the feature ends in one pull request holding the change.
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class ConfiguredRoleTests(OrchestratorApp app)
{
    /// <summary>The model script the stand-in plays for this feature (Roles/ops-role.json).</summary>
    public const string Script = "ops-role";

    private const string Workflow = ".github/workflows/ci.yml";
    private static readonly TimeSpan FeatureTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task An_ops_task_runs_on_the_configured_roles_service_with_run_command_and_its_CI_change_is_in_the_one_pull_request()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = TargetRepository.Create(app.Root, "ci", new Dictionary<string, string>
        {
            ["README.md"] = "# App\n",
            [Workflow] = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: dotnet build\n",
            // The verification passes only with both tasks' work merged.
            [".orchestrator.json"] = """{"build": ["true"], "test": ["sh", "-c", "test -f VERSION && grep -q 'dotnet test' .github/workflows/ci.yml"]}""",
        });

        var response = await app.Api.PostAsJsonAsync("/features", new { repository, request = $"Run the tests in CI {ScriptedStandIn.Selecting(Script)}" }, ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(ct));
        var location = response.Headers.Location!.ToString();
        var feature = await app.WaitForEndAsync(location, FeatureTimeout);

        Assert.True(feature.GetProperty("state").GetString() == "Completed", $"the feature did not complete: {feature}");
        var ops = feature.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("id").GetString() == "roles-ci-tests");
        Assert.Equal("ops", ops.GetProperty("role").GetString());
        // Taken by the generic service running the role: instances are named role@host/pid.
        Assert.StartsWith("ops@", ops.GetProperty("instance").GetString(), StringComparison.Ordinal);

        // The command ran in the ops agent's workspace, through the sandbox, with its arguments as given.
        var log = await app.Api.GetFromJsonAsync<JsonElement>($"{location}/tasks/roles-ci-tests/log", ct);
        var commands = log.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "tool" && e.GetProperty("name").GetString()!.Contains("run_command", StringComparison.Ordinal))
            .Select(e => e.GetProperty("result").GetString()!)
            .ToList();
        Assert.True(commands.Count == 2, $"expected two run_command calls in {log}");
        // Transcript results are one line (whitespace collapsed): grep's hit on line 7, then its count of the new step.
        Assert.StartsWith("`grep -n run: .github/workflows/ci.yml`: exit code 0 7: - run: dotnet build", commands[0], StringComparison.Ordinal);
        Assert.Equal("`grep -c 'dotnet test --no-build' .github/workflows/ci.yml`: exit code 0 1", commands[1]);

        var head = feature.GetProperty("pullRequest").GetProperty("head").GetString()!;
        var workflow = OrchestratorApp.Run("git", ["--git-dir", repository, "show", $"refs/heads/{head}:{Workflow}"], repository).Stdout;
        Assert.Contains("      - run: dotnet build\n      - run: dotnet test --no-build\n", workflow, StringComparison.Ordinal);
        Assert.Contains("VERSION", TargetRepository.Files(repository, head));
        var pullRequest = Assert.Single(TargetRepository.PullRequests(repository));
        Assert.Contains("roles-ci-tests", pullRequest.GetProperty("body").GetString()!, StringComparison.Ordinal);
    }
}
