using Orchestrator.Workspaces;

namespace Orchestrator.Bench.Agents;

/// <summary>How a pull request's head fared: the repository's own tests, then the same command with the hidden tests added.</summary>
/// <param name="OwnTestsPassed">The repository's test command passed on the head as the agents left it.</param>
/// <param name="AcceptancePassed">The test command passed with the scenario's acceptance tests copied in.</param>
/// <param name="Detail">The end of the failing run's output (or why nothing ran); null when both passed.</param>
public sealed record Score(bool OwnTestsPassed, bool AcceptancePassed, string? Detail);

/// <summary>
/// Scores a pull request's head: clones it from the forge, runs the repository's test command in the sandbox (the code
/// is the agents', so it runs where the system runs it, through <see cref="IRepositoryCommandRunner"/>), then adds the
/// scenario's hidden acceptance tests and runs the command again.
/// </summary>
public sealed class ScenarioScorer(IRepositoryCommandRunner sandbox, ProcessRunner processes)
{
    private const int DetailChars = 1000;

    private static readonly RepositoryCommandLimits Limits = new() { Timeout = TimeSpan.FromMinutes(10) };

    public async Task<Score> ScoreAsync(Scenario scenario, string repository, string head, string workRoot, CancellationToken cancellationToken)
    {
        var checkout = Path.Combine(workRoot, $"{scenario.Id}-score");
        var clone = await processes.RunAsync(
            new ProcessSpec("git", ["clone", "--quiet", "--single-branch", "--branch", head, "--", repository, checkout], workRoot)
            {
                Timeout = TimeSpan.FromMinutes(2),
            },
            cancellationToken);
        if (!clone.Succeeded)
        {
            return new Score(false, false, $"could not clone {head}: {clone.Output.Trim()}");
        }

        var commands = RepositoryCommands.Detect(checkout);
        if (commands.Test is not { } test)
        {
            return new Score(false, false, "the head has no test command (.orchestrator.json or a detectable project)");
        }

        var own = await sandbox.RunAfterRestoreAsync(checkout, commands, test, Limits, cancellationToken);
        CopyAcceptanceTests(scenario, checkout);
        var acceptance = await sandbox.RunAfterRestoreAsync(checkout, commands, test, Limits, cancellationToken);
        var detail = !acceptance.Succeeded ? Tail("acceptance", test, acceptance)
            : !own.Succeeded ? Tail("own tests", test, own)
            : null;
        return new Score(own.Succeeded, acceptance.Succeeded, detail);
    }

    /// <summary>Copies <c>acceptance/</c> over the checkout: a file of the same name the agents wrote is replaced.</summary>
    internal static void CopyAcceptanceTests(Scenario scenario, string checkout)
    {
        var root = new WorkspaceRoot(checkout);
        foreach (var file in scenario.AcceptanceFiles())
        {
            // Through the workspace's confinement: a directory the agents replaced by a link cannot send the copy elsewhere.
            var target = root.Resolve(file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(scenario.AcceptanceFolder, file), target, overwrite: true);
        }
    }

    private static string Tail(string step, RepositoryCommand command, RepositoryCommandResult result)
    {
        var verdict = result.TimedOut ? "timed out" : $"exited {result.ExitCode}";
        var output = result.Output.Trim();
        return $"{step}: `{command}` {verdict}: {(output.Length > DetailChars ? "…" + output[^DetailChars..] : output)}";
    }
}
