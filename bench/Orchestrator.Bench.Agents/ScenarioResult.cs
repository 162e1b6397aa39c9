namespace Orchestrator.Bench.Agents;

/// <summary>One scenario's scores. Nullable scores were not measured (the scenario was skipped, or no pull request was opened).</summary>
/// <param name="Mode"><c>scripted</c>, <c>llm</c> or <c>skipped</c>.</param>
/// <param name="Expected">For a scripted run, what its script plays (<c>pass</c> or <c>wrong-answer</c>); null otherwise.</param>
/// <param name="Note">Why it was skipped, why the feature failed, or the end of a failing test run.</param>
public sealed record ScenarioResult(
    string Id,
    string Title,
    string Language,
    string Mode,
    string? Script,
    string? Expected,
    string Model,
    string State,
    bool PullRequestOpened,
    bool? AcceptancePassed,
    bool? OwnTestsPassed,
    long InputTokens,
    long OutputTokens,
    int ModelCalls,
    string? Cost,
    double WallSeconds,
    int VerificationFixRounds,
    int ReviewFixRounds,
    string? Note)
{
    public const string Scripted = "scripted";
    public const string Llm = "llm";
    public const string Skipped = "skipped";

    public int FixRounds => VerificationFixRounds + ReviewFixRounds;

    /// <summary>Solved: a pull request whose head passes the hidden acceptance tests and the repository's own tests.</summary>
    public bool Solved => PullRequestOpened && AcceptancePassed == true && OwnTestsPassed == true;

    /// <summary>
    /// For a scripted run, whether the harness scored it as its script is written to come out (a pass solved; a wrong
    /// answer with a pull request and passing own tests, caught by the acceptance tests). Null for other runs.
    /// </summary>
    public bool? AsScripted => Mode != Scripted
        ? null
        : Expected == "wrong-answer"
            ? PullRequestOpened && OwnTestsPassed == true && AcceptancePassed == false
            : Solved;

    public static ScenarioResult NotRun(Scenario scenario, string reason) => new(
        scenario.Id, scenario.Title, scenario.Language, Skipped, scenario.Script, null, string.Empty, "not run",
        false, null, null, 0, 0, 0, null, 0, 0, 0, reason);
}
