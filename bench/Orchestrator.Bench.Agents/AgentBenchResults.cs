using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Bench.Agents;

/// <summary>A run of the suite: what <c>bench/results/agents-&lt;date&gt;.json</c> holds.</summary>
/// <param name="Mode"><c>scripted</c> (no model: only scenarios with a script ran) or <c>llm</c>.</param>
/// <param name="Model">The model's label as the system reports it (<c>openai:&lt;model&gt;</c>), or the scripted model's note.</param>
/// <param name="Endpoint">The OpenAI-compatible endpoint's URL for an <c>llm</c> run (never its key); null when scripted.</param>
public sealed record AgentBenchResults(
    DateTimeOffset RanAt,
    string Mode,
    string Model,
    string? Endpoint,
    IReadOnlyList<ScenarioResult> Scenarios)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // A file people read: test output keeps its quotes and back-ticks rather than \u0060 escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [JsonIgnore]
    public IReadOnlyList<ScenarioResult> Ran => Scenarios.Where(s => s.Mode != ScenarioResult.Skipped).ToList();

    [JsonIgnore]
    public ResultSummary Summary => new(
        Ran.Count,
        Scenarios.Count - Ran.Count,
        Ran.Count(s => s.PullRequestOpened),
        Ran.Count(s => s.Solved),
        Ran.Count(s => s.AsScripted == false),
        Ran.Sum(s => s.InputTokens + s.OutputTokens),
        Math.Round(Ran.Sum(s => s.WallSeconds), 1));

    /// <summary>The results file's name for a run on <paramref name="day"/>.</summary>
    public static string FileName(DateTimeOffset day) =>
        $"agents-{day.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}.json";

    public string ToJson() => JsonSerializer.Serialize(new ResultsFile(this, Summary), Json);

    public static AgentBenchResults FromJson(string json) =>
        JsonSerializer.Deserialize<ResultsFile>(json, Json)?.Run ?? throw new InvalidDataException("Not an agent benchmark results file.");

    /// <summary>The file's shape: the run's fields, then the summary (written for readers, recomputed when read).</summary>
    private sealed record ResultsFile(
        [property: JsonPropertyName("run")] AgentBenchResults Run,
        [property: JsonPropertyName("summary")] ResultSummary Summary)
    {
        [JsonPropertyName("benchmark")]
        public string Benchmark => "agents";
    }
}

/// <param name="AsScriptedMisses">Scripted scenarios the harness did not score as their script is written to come out: a harness defect.</param>
public sealed record ResultSummary(int Ran, int Skipped, int PullRequests, int Solved, int AsScriptedMisses, long Tokens, double WallSeconds);
