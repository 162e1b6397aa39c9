using System.Diagnostics;
using Orchestrator.Workspaces;

namespace Orchestrator.Bench.Agents;

/// <summary>
/// Runs scenarios against a running system (its HTTP API): creates the sample repository, submits the request (with
/// the scenario's script when no live model drives the run), waits for the feature's end, and scores the pull request.
/// The end-to-end tests use it against their shared system; the console runs it against the AppHost it starts.
/// </summary>
/// <param name="live">True when the system has a live model (<c>--llm</c>): every scenario runs without its script.</param>
public sealed class AgentBench(FeatureClient features, SampleRepository repositories, ScenarioScorer scorer, string repositoryRoot, bool live)
{
    public TimeSpan FeatureTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A bench on the system behind <paramref name="api"/>, scoring in <paramref name="sandbox"/>.</summary>
    public static AgentBench Create(
        HttpClient api, IRepositoryCommandRunner sandbox, ProcessRunner processes, string repositoryRoot, bool live, TimeSpan featureTimeout) =>
        new(new FeatureClient(api), new SampleRepository(processes), new ScenarioScorer(sandbox, processes), repositoryRoot, live)
        {
            FeatureTimeout = featureTimeout,
        };

    /// <summary>Runs one scenario in <paramref name="workRoot"/>; a scenario without a script is skipped unless the model is live.</summary>
    public async Task<ScenarioResult> RunAsync(Scenario scenario, string workRoot, CancellationToken cancellationToken)
    {
        if (!live && scenario.Script is null)
        {
            return ScenarioResult.NotRun(scenario, "no script; needs --llm");
        }

        var work = Directory.CreateDirectory(Path.Combine(workRoot, scenario.Id, Guid.NewGuid().ToString("N")[..8])).FullName;
        var repository = await repositories.CreateAsync(
            Path.Combine(repositoryRoot, scenario.RepositorySource), work, Path.GetFileName(scenario.RepositorySource), cancellationToken);
        var clock = Stopwatch.StartNew();
        var location = await features.SubmitAsync(repository, scenario.Request, live ? null : scenario.Script, cancellationToken);
        var feature = FeatureOutcome.From(await features.WaitForEndAsync(location, FeatureTimeout, cancellationToken));
        var wall = Math.Round(clock.Elapsed.TotalSeconds, 1);

        Score? score = null;
        if (feature.PullRequestHead is { } head)
        {
            // The pull request names where its head lives; the built-in local forge keeps it in the repository itself.
            score = await scorer.ScoreAsync(scenario, feature.PullRequestRepository ?? repository, head, work, cancellationToken);
        }

        return new ScenarioResult(
            scenario.Id,
            scenario.Title,
            scenario.Language,
            live ? ScenarioResult.Llm : ScenarioResult.Scripted,
            live ? null : scenario.Script,
            live ? null : scenario.Plays == ScriptPlays.WrongAnswer ? "wrong-answer" : "pass",
            feature.Model,
            feature.State,
            feature.PullRequestOpened,
            score?.AcceptancePassed,
            score?.OwnTestsPassed,
            feature.InputTokens,
            feature.OutputTokens,
            feature.ModelCalls,
            feature.Cost,
            wall,
            feature.VerificationFixRounds,
            feature.ReviewFixRounds,
            feature.FailureReason ?? score?.Detail);
    }
}
