namespace Orchestrator.Bench.Agents;

/// <summary>What a scenario's scripted-model script is written to do, so the harness can tell a harness bug from a model's miss.</summary>
public enum ScriptPlays
{
    /// <summary>A correct solution: the hidden acceptance tests must pass.</summary>
    Pass,

    /// <summary>A plausible wrong answer that builds and passes the repository's own tests: the hidden tests must fail.</summary>
    WrongAnswer,
}

/// <summary>
/// One feature request of the suite (<c>bench/agents/scenarios/&lt;id&gt;/scenario.json</c>), on a sample repository,
/// with acceptance tests in <c>acceptance/</c> that the agents never see: they are copied onto the pull request's head
/// only when it is scored.
/// </summary>
/// <param name="RepositorySource">The folder whose files become the sample repository, relative to the repository root.</param>
/// <param name="Script">The scripted-model script that plays this scenario without a live model; null: only with <c>--llm</c>.</param>
public sealed record Scenario(
    string Id,
    string Title,
    string Language,
    string RepositorySource,
    string Request,
    string? Script,
    ScriptPlays? Plays,
    string Folder)
{
    public string AcceptanceFolder => Path.Combine(Folder, "acceptance");

    /// <summary>The files the acceptance tests add to the head, relative to the repository root (as in <c>acceptance/</c>).</summary>
    public IReadOnlyList<string> AcceptanceFiles() =>
        Directory.Exists(AcceptanceFolder)
            ? Directory.EnumerateFiles(AcceptanceFolder, "*", SearchOption.AllDirectories)
                .Select(file => Path.GetRelativePath(AcceptanceFolder, file).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
}
