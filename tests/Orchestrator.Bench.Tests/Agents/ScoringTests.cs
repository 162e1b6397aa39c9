using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Bench.Agents;
using Orchestrator.Workspaces;

namespace Orchestrator.Bench.Tests.Agents;

public sealed class ScoringTests : IDisposable
{
    private static readonly ProcessRunner Processes = new(NullLogger<ProcessRunner>.Instance);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("agents-scoring-");

    [Fact]
    public async Task The_head_is_scored_by_its_own_tests_then_by_the_same_command_with_the_hidden_tests_added()
    {
        var scenario = Scenario("hidden.test.js");
        var repository = await new SampleRepository(Processes).CreateAsync(SampleFolder(), _work.FullName, "sample", TestContext.Current.CancellationToken);
        var runner = new HiddenTestsFail("test/hidden.test.js");

        var score = await new ScenarioScorer(runner, Processes).ScoreAsync(scenario, repository, "main", _work.FullName, TestContext.Current.CancellationToken);

        Assert.True(score.OwnTestsPassed);
        Assert.False(score.AcceptancePassed);
        Assert.Contains("acceptance: `node --test` exited 1", score.Detail);
        Assert.Equal(["node --test", "node --test"], runner.Commands);
    }

    [Fact]
    public async Task A_head_that_cannot_be_cloned_scores_nothing_and_says_why()
    {
        var repository = await new SampleRepository(Processes).CreateAsync(SampleFolder(), _work.FullName, "sample", TestContext.Current.CancellationToken);
        var runner = new HiddenTestsFail("test/hidden.test.js");

        var score = await new ScenarioScorer(runner, Processes).ScoreAsync(Scenario("hidden.test.js"), repository, "no-such-branch", _work.FullName, TestContext.Current.CancellationToken);

        Assert.Equal(new Score(false, false, score.Detail), score);
        Assert.Contains("could not clone no-such-branch", score.Detail);
        Assert.Empty(runner.Commands);
    }

    [Fact]
    public void Hidden_tests_are_never_copied_through_a_link_the_agents_committed()
    {
        var checkout = Directory.CreateDirectory(Path.Combine(_work.FullName, "checkout")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(_work.FullName, "outside")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(checkout, "test"), outside);

        Assert.ThrowsAny<WorkspacePathException>(() => ScenarioScorer.CopyAcceptanceTests(Scenario("hidden.test.js"), checkout));
        Assert.Empty(Directory.GetFiles(outside));
    }

    [Fact]
    public void The_feature_record_gives_tokens_cost_pull_request_and_fix_rounds()
    {
        using var json = JsonDocument.Parse("""
            {"state": "Completed", "model": "openai:gpt-4o-mini", "scripted": false, "failureReason": null, "cost": "0.0042 USD",
             "usage": {"inputTokens": 1200, "outputTokens": 300, "calls": 9},
             "pullRequest": {"number": 1, "url": "file:///r/pulls/1", "head": "orchestrator/add-x", "base": "main", "repository": "/r.git", "forge": "local"},
             "tasks": [{"id": "implement-x"}, {"id": "fix-verification-1"}, {"id": "address-review-1"}, {"id": "address-review-2"}]}
            """);

        var outcome = FeatureOutcome.From(json.RootElement);

        Assert.True(outcome.PullRequestOpened);
        Assert.Equal(("orchestrator/add-x", "/r.git"), (outcome.PullRequestHead, outcome.PullRequestRepository));
        Assert.Equal((1200L, 300L, 9, "0.0042 USD"), (outcome.InputTokens, outcome.OutputTokens, outcome.ModelCalls, outcome.Cost));
        Assert.Equal((1, 2), (outcome.VerificationFixRounds, outcome.ReviewFixRounds));
    }

    [Fact]
    public void A_failed_feature_has_no_pull_request()
    {
        using var json = JsonDocument.Parse("""
            {"state": "Failed", "model": "scripted:x", "scripted": true, "failureReason": "the plan was invalid", "cost": null,
             "usage": {"inputTokens": 10, "outputTokens": 5, "calls": 1}, "pullRequest": null, "tasks": []}
            """);

        var outcome = FeatureOutcome.From(json.RootElement);

        Assert.False(outcome.PullRequestOpened);
        Assert.Equal("the plan was invalid", outcome.FailureReason);
    }

    [Theory]
    [InlineData("pass", true, true, true, true)]
    [InlineData("pass", true, false, true, false)]
    [InlineData("wrong-answer", true, false, true, true)]
    [InlineData("wrong-answer", true, true, true, false)]
    [InlineData("wrong-answer", true, false, false, false)]
    [InlineData("wrong-answer", false, null, null, false)]
    public void A_scripted_run_counts_as_scripted_only_when_it_comes_out_as_its_script_is_written(
        string expected, bool pullRequest, bool? acceptance, bool? ownTests, bool asScripted)
    {
        var result = Result(ScenarioResult.Scripted, expected, pullRequest, acceptance, ownTests);

        Assert.Equal(asScripted, result.AsScripted);
        Assert.Equal(pullRequest && acceptance == true && ownTests == true, result.Solved);
    }

    [Fact]
    public void A_live_run_is_solved_only_with_a_pull_request_passing_both_test_runs()
    {
        Assert.True(Result(ScenarioResult.Llm, null, true, true, true).Solved);
        Assert.False(Result(ScenarioResult.Llm, null, true, true, false).Solved);
        Assert.Null(Result(ScenarioResult.Llm, null, true, true, true).AsScripted);
    }

    internal static ScenarioResult Result(string mode, string? expected, bool pullRequest, bool? acceptance, bool? ownTests) => new(
        "node-x", "X", "node", mode, mode == ScenarioResult.Scripted ? "bench-x" : null, expected, "openai:m", "Completed",
        pullRequest, acceptance, ownTests, 100, 20, 3, null, 4.2, 1, 0, null);

    private Scenario Scenario(string hiddenFile)
    {
        var folder = Path.Combine(_work.FullName, "scenario");
        Directory.CreateDirectory(Path.Combine(folder, "acceptance", "test"));
        File.WriteAllText(Path.Combine(folder, "acceptance", "test", hiddenFile), "// hidden");
        return new Scenario("node-x", "X", "node", "sample", "Add x", null, null, folder);
    }

    private string SampleFolder()
    {
        var folder = Path.Combine(_work.FullName, "source");
        Directory.CreateDirectory(Path.Combine(folder, "test"));
        Directory.CreateDirectory(Path.Combine(folder, "node_modules"));
        File.WriteAllText(Path.Combine(folder, ".orchestrator.json"), """{"test": ["node", "--test"]}""");
        File.WriteAllText(Path.Combine(folder, "test", "own.test.js"), "// own");
        return folder;
    }

    public void Dispose() => _work.Delete(recursive: true);

    /// <summary>Passes a run unless the hidden file is in the workspace: the scorer must add it for the second run only.</summary>
    private sealed class HiddenTestsFail(string hiddenFile) : IRepositoryCommandRunner
    {
        public List<string> Commands { get; } = [];

        public Task<RepositoryCommandResult> RunAsync(RepositoryCommandRequest request, CancellationToken cancellationToken)
        {
            Commands.Add(request.Command.ToString());
            var hidden = File.Exists(Path.Combine(request.WorkspaceDirectory, hiddenFile));
            Assert.True(File.Exists(Path.Combine(request.WorkspaceDirectory, "test", "own.test.js")));
            return Task.FromResult(new RepositoryCommandResult(hidden ? 1 : 0, hidden ? "1 failing" : "ok", false, TimeSpan.FromSeconds(1)));
        }
    }
}
