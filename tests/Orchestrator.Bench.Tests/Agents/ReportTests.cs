using System.Text.Json;
using Orchestrator.Bench.Agents;
using Spectre.Console.Testing;

namespace Orchestrator.Bench.Tests.Agents;

public sealed class ReportTests
{
    private static readonly DateTimeOffset RanAt = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private static AgentBenchResults Sample() => new(RanAt, ScenarioResult.Scripted, "scripted demo model, not an AI", null,
    [
        ScoringTests.Result(ScenarioResult.Scripted, "pass", true, true, true) with { Id = "python-discount" },
        ScoringTests.Result(ScenarioResult.Scripted, "wrong-answer", true, false, true) with { Id = "node-slugify", Note = "acceptance: [1 failing]" },
        ScenarioResult.NotRun(new Scenario("dotnet-modulo", "Modulo", "dotnet", "samples/calculator", "Add Modulo", null, null, "/x"), "no script; needs --llm"),
    ]);

    [Fact]
    public void The_table_has_a_row_per_scenario_with_its_scores_and_verdict()
    {
        var console = new TestConsole().Width(220);

        console.Write(ResultsTable.Build(Sample()));

        var lines = console.Lines;
        var pass = Assert.Single(lines, l => l.Contains("python-discount"));
        Assert.Contains("scripted (pass)", pass);
        Assert.Contains("solved, as scripted", pass);
        Assert.Contains(" 120 ", pass);
        Assert.Contains("4.2 s", pass);
        Assert.Contains("1 + 0", pass);
        var wrong = Assert.Single(lines, l => l.Contains("node-slugify"));
        Assert.Contains("scripted (wrong answer)", wrong);
        Assert.Contains("caught, as scripted", wrong);
        var skipped = Assert.Single(lines, l => l.Contains("dotnet-modulo"));
        Assert.Contains("no script; needs --llm", skipped);
        Assert.Contains(lines, l => l.Contains("2 run, 1 skipped; 2 pull requests; 1 solved"));
        Assert.Contains(lines, l => l.Contains("scripted demo model, not an AI"));
    }

    [Fact]
    public void A_scripted_run_that_did_not_come_out_as_written_is_flagged()
    {
        var missed = ScoringTests.Result(ScenarioResult.Scripted, "wrong-answer", true, true, true);

        Assert.Equal("NOT as scripted", ResultsTable.Verdict(missed));
        Assert.Equal(1, (Sample() with { Scenarios = [missed] }).Summary.AsScriptedMisses);
    }

    [Fact]
    public void The_results_file_is_named_by_day_and_holds_every_score_and_the_summary()
    {
        var results = Sample();

        Assert.Equal("agents-2026-11-30.json", AgentBenchResults.FileName(RanAt));
        using var json = JsonDocument.Parse(results.ToJson());
        Assert.Equal("agents", json.RootElement.GetProperty("benchmark").GetString());
        var first = json.RootElement.GetProperty("run").GetProperty("scenarios")[0];
        Assert.Equal("python-discount", first.GetProperty("id").GetString());
        Assert.True(first.GetProperty("acceptancePassed").GetBoolean());
        Assert.True(first.GetProperty("ownTestsPassed").GetBoolean());
        Assert.Equal(100, first.GetProperty("inputTokens").GetInt64());
        Assert.Equal(4.2, first.GetProperty("wallSeconds").GetDouble());
        Assert.Equal(1, first.GetProperty("verificationFixRounds").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("run").GetProperty("scenarios")[2].GetProperty("acceptancePassed").ValueKind);
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal((2, 1, 1), (summary.GetProperty("ran").GetInt32(), summary.GetProperty("skipped").GetInt32(), summary.GetProperty("solved").GetInt32()));
        Assert.Equal(results.Scenarios, AgentBenchResults.FromJson(results.ToJson()).Scenarios);
    }
}
