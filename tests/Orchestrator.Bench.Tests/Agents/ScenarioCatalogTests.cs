using System.Text.Json;
using Orchestrator.Bench.Agents;
using Orchestrator.Workspaces;

namespace Orchestrator.Bench.Tests.Agents;

public sealed class ScenarioCatalogTests : IDisposable
{
    private static readonly string Root = BenchRun.FindRepositoryRoot();
    private readonly DirectoryInfo _fake = Directory.CreateTempSubdirectory("agents-catalog-");

    [Fact]
    public void The_suite_has_at_least_twelve_scenarios_on_three_languages_each_with_a_request_a_repository_and_hidden_tests()
    {
        var scenarios = ScenarioCatalog.Load(Root);

        Assert.True(scenarios.Count >= 12, $"{scenarios.Count} scenarios");
        Assert.Superset(new HashSet<string> { "dotnet", "node", "python" }, scenarios.Select(s => s.Language).ToHashSet());
        Assert.All(scenarios, scenario =>
        {
            Assert.False(string.IsNullOrWhiteSpace(scenario.Request));
            Assert.NotEmpty(scenario.AcceptanceFiles());
            // The repository the agents clone has a test command the scorer can run, and none of the hidden tests.
            var source = Path.Combine(Root, scenario.RepositorySource);
            Assert.NotNull(RepositoryCommands.Detect(source).Test);
            Assert.All(scenario.AcceptanceFiles(), file => Assert.False(File.Exists(Path.Combine(source, file)), $"{scenario.Id}: {file} is in the sample"));
        });
    }

    [Fact]
    public void The_shipped_scripts_play_a_pass_and_a_wrong_answer_and_each_approves_in_review()
    {
        var scripted = ScenarioCatalog.Load(Root).Where(s => s.Script is not null).ToList();

        Assert.Contains(scripted, s => s.Plays == ScriptPlays.Pass);
        Assert.Contains(scripted, s => s.Plays == ScriptPlays.WrongAnswer);
        foreach (var scenario in scripted.Where(s => s.Script!.StartsWith("bench-", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(Path.Combine(ScenarioCatalog.ScriptsFolder(Root), $"{scenario.Script}.json"));
            // The scripted model's own parser accepts it, and the planner has a turn.
            Assert.Contains("planner", Orchestrator.Llm.Devices.ModelScriptParser.Parse(scenario.Script!, text).Agents.Keys);
            using var script = JsonDocument.Parse(text);
            var review = script.RootElement.GetProperty("agents").GetProperty("review-1")[0].GetProperty("content");
            Assert.Equal("approve", review.GetProperty("verdict").GetString());
        }
    }

    [Fact]
    public void A_scenario_without_acceptance_tests_is_refused_by_name()
    {
        Write("no-tests", """{"title": "t", "language": "node", "repository": "sample", "request": "Add x"}""", acceptance: false);

        var error = Assert.Throws<InvalidDataException>(() => ScenarioCatalog.Load(_fake.FullName));
        Assert.Contains("'no-tests'", error.Message);
        Assert.Contains("acceptance", error.Message);
    }

    [Theory]
    [InlineData("""{"title": "t", "language": "node", "repository": "sample"}""", "\"request\" is missing")]
    [InlineData("""{"title": "t", "language": "node", "repository": "elsewhere", "request": "Add x"}""", "repository 'elsewhere'")]
    [InlineData("""{"title": "t", "language": "node", "repository": "../..", "request": "Add x"}""", "repository '../..'")]
    [InlineData("""{"title": "t", "language": "node", "repository": "sample", "request": "Add x", "script": "nowhere", "scriptPlays": "pass"}""", "script 'nowhere'")]
    [InlineData("""{"title": "t", "language": "node", "repository": "sample", "request": "Add x", "script": "known"}""", "go together")]
    public void An_incomplete_scenario_is_refused_saying_what_is_wrong(string json, string reason)
    {
        Write("broken", json, acceptance: true);

        var error = Assert.Throws<InvalidDataException>(() => ScenarioCatalog.Load(_fake.FullName));
        Assert.Contains("'broken'", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Selecting_an_unknown_scenario_names_the_known_ones()
    {
        Write("only-one", """{"title": "t", "language": "node", "repository": "sample", "request": "Add x"}""", acceptance: true);
        var scenarios = ScenarioCatalog.Load(_fake.FullName);

        Assert.Single(ScenarioCatalog.Select(scenarios, ["only-one"]));
        Assert.Equal(scenarios, ScenarioCatalog.Select(scenarios, []));
        var error = Assert.Throws<ArgumentException>(() => ScenarioCatalog.Select(scenarios, ["typo"]));
        Assert.Contains("'typo'", error.Message);
        Assert.Contains("only-one", error.Message);
    }

    private void Write(string id, string json, bool acceptance)
    {
        Directory.CreateDirectory(Path.Combine(_fake.FullName, "sample"));
        Directory.CreateDirectory(ScenarioCatalog.ScriptsFolder(_fake.FullName));
        File.WriteAllText(Path.Combine(ScenarioCatalog.ScriptsFolder(_fake.FullName), "known.json"), "{}");
        var folder = Path.Combine(ScenarioCatalog.ScenariosFolder(_fake.FullName), id);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "scenario.json"), json);
        if (acceptance)
        {
            Directory.CreateDirectory(Path.Combine(folder, "acceptance", "test"));
            File.WriteAllText(Path.Combine(folder, "acceptance", "test", "hidden.test.js"), "// hidden");
        }
    }

    public void Dispose() => _fake.Delete(recursive: true);
}
