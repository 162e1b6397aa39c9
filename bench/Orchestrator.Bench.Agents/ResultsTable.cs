using System.Globalization;
using Spectre.Console;

namespace Orchestrator.Bench.Agents;

/// <summary>The console table of a run: one row per scenario, then the summary line.</summary>
public static class ResultsTable
{
    public static Table Build(AgentBenchResults results)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Agent benchmark, {results.Mode} ({Markup.Escape(results.Model)})");
        foreach (var column in new[] { "scenario", "lang", "run", "PR", "acceptance", "own tests", "tokens", "cost", "wall", "fixes (verify + review)", "verdict" })
        {
            table.AddColumn(column);
        }

        foreach (var s in results.Scenarios)
        {
            table.AddRow(
                Markup.Escape(s.Id),
                Markup.Escape(s.Language),
                Markup.Escape(RunLabel(s)),
                s.Mode == ScenarioResult.Skipped ? "—" : Mark(s.PullRequestOpened),
                Mark(s.AcceptancePassed),
                Mark(s.OwnTestsPassed),
                s.Mode == ScenarioResult.Skipped ? "—" : (s.InputTokens + s.OutputTokens).ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(s.Cost ?? "n/a"),
                s.Mode == ScenarioResult.Skipped ? "—" : $"{s.WallSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s",
                s.Mode == ScenarioResult.Skipped ? "—" : $"{s.VerificationFixRounds} + {s.ReviewFixRounds}",
                Markup.Escape(Verdict(s)));
        }

        var summary = results.Summary;
        table.Caption(
            $"{summary.Ran} run, {summary.Skipped} skipped; {summary.PullRequests} pull requests; {summary.Solved} solved " +
            $"(acceptance and own tests pass); {summary.Tokens.ToString("N0", CultureInfo.InvariantCulture)} tokens; " +
            $"{summary.WallSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" +
            (results.Mode == ScenarioResult.Scripted ? "; scripted runs use the scripted demo model, not an AI" : string.Empty));
        return table;
    }

    /// <summary>How the scenario ran: <c>scripted:&lt;script&gt; (plays a pass)</c>, <c>llm</c>, or <c>skipped</c>.</summary>
    public static string RunLabel(ScenarioResult s) => s.Mode switch
    {
        ScenarioResult.Scripted => $"scripted ({(s.Expected == "wrong-answer" ? "wrong answer" : "pass")})",
        _ => s.Mode,
    };

    public static string Verdict(ScenarioResult s) => s.Mode switch
    {
        ScenarioResult.Skipped => s.Note ?? "skipped",
        ScenarioResult.Scripted when s.AsScripted == true => s.Expected == "wrong-answer" ? "caught, as scripted" : "solved, as scripted",
        ScenarioResult.Scripted => "NOT as scripted",
        _ when s.Solved => "solved",
        _ when s.State != "Completed" => $"not solved: {s.State}",
        _ => "not solved",
    };

    private static string Mark(bool? value) => value switch
    {
        true => "[green]yes[/]",
        false => "[red]no[/]",
        null => "—",
    };
}
