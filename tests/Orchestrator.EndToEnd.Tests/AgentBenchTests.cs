using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Bench.Agents;
using Orchestrator.Workspaces;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// The agent evaluation harness (bench/agents) proved on the shared system with its two scripted scenarios: a correct
/// solution must score as solved, and a wrong answer that builds and passes the repository's own tests must be caught
/// by the hidden acceptance tests. The sample repositories are Python and Node: their tests take under a second.
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class AgentBenchTests(OrchestratorApp app)
{
    private static readonly TimeSpan FeatureTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task The_bench_scores_a_scripted_pass_as_solved_and_catches_a_scripted_wrong_answer_with_its_hidden_tests()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = OrchestratorApp.RepositoryRoot;
        var scenarios = ScenarioCatalog.Select(ScenarioCatalog.Load(root), ["python-discount", "node-slugify"]);
        var processes = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
        var sandbox = new BubblewrapCommandRunner(processes, Options.Create(new SandboxOptions()), NullLogger<BubblewrapCommandRunner>.Instance);
        var bench = AgentBench.Create(app.Api, sandbox, processes, root, live: false, FeatureTimeout);
        var work = Path.Combine(app.Root, "agents-bench");

        // Both at once: they are independent features, and the suite's time is short.
        var results = await Task.WhenAll(scenarios.Select(scenario => bench.RunAsync(scenario, work, ct)));

        var pass = results.Single(r => r.Id == "python-discount");
        Assert.True(pass.Solved, $"the scripted pass was not scored as solved: {pass}");
        Assert.Equal((ScenarioResult.Scripted, "pass", true), (pass.Mode, pass.Expected, pass.AsScripted));
        Assert.Contains("scripted:bench-python-discount", pass.Model);
        Assert.True(pass.InputTokens > 0 && pass.OutputTokens > 0 && pass.ModelCalls > 0, pass.ToString());
        Assert.True(pass.WallSeconds > 0);
        Assert.Equal(0, pass.FixRounds);

        var wrong = results.Single(r => r.Id == "node-slugify");
        Assert.True(wrong.PullRequestOpened, $"the wrong answer opened no pull request: {wrong}");
        Assert.True(wrong.OwnTestsPassed, $"the wrong answer's own tests did not pass: {wrong}");
        Assert.False(wrong.AcceptancePassed, $"the hidden tests did not catch the wrong answer: {wrong}");
        Assert.Equal((false, true), (wrong.Solved, wrong.AsScripted));
        Assert.StartsWith("acceptance: `node --test` exited 1", wrong.Note);
    }
}
