using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Orchestrator.Bench.Agents;

/// <summary>Finds and checks the suite's scenarios: every one needs a request, a sample repository and acceptance tests.</summary>
public static partial class ScenarioCatalog
{
    public static string ScenariosFolder(string repositoryRoot) => Path.Combine(repositoryRoot, "bench", "agents", "scenarios");

    /// <summary>Where a scenario's script must be: the folder the AppHost gives the orchestrator (<c>Models:ScriptsPath</c>).</summary>
    public static string ScriptsFolder(string repositoryRoot) => Path.Combine(repositoryRoot, "samples", "scripts");

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Every scenario, ordered by id.</summary>
    /// <exception cref="InvalidDataException">A scenario is incomplete; the message names it and what is missing.</exception>
    public static IReadOnlyList<Scenario> Load(string repositoryRoot)
    {
        var folder = ScenariosFolder(repositoryRoot);
        if (!Directory.Exists(folder))
        {
            throw new InvalidDataException($"No scenarios: {folder} does not exist.");
        }

        return Directory.EnumerateDirectories(folder)
            .Order(StringComparer.Ordinal)
            .Select(directory => Read(repositoryRoot, directory))
            .ToList();
    }

    /// <summary>The scenarios named by <paramref name="ids"/> (all when empty); an unknown id is an error naming the known ones.</summary>
    public static IReadOnlyList<Scenario> Select(IReadOnlyList<Scenario> scenarios, IReadOnlyCollection<string> ids)
    {
        var unknown = ids.Where(id => scenarios.All(s => s.Id != id)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"unknown scenario '{string.Join("', '", unknown)}'; known: {string.Join(", ", scenarios.Select(s => s.Id))}");
        }

        return ids.Count == 0 ? scenarios : scenarios.Where(s => ids.Contains(s.Id)).ToList();
    }

    private static Scenario Read(string repositoryRoot, string directory)
    {
        var id = Path.GetFileName(directory);
        var file = Path.Combine(directory, "scenario.json");
        if (!ValidId().IsMatch(id))
        {
            throw Invalid(id, "its folder name must be lower-case letters, digits and hyphens");
        }

        if (!File.Exists(file))
        {
            throw Invalid(id, "scenario.json is missing");
        }

        var document = JsonSerializer.Deserialize<ScenarioDocument>(File.ReadAllText(file), Json)
            ?? throw Invalid(id, "scenario.json is empty");
        var scenario = new Scenario(
            id,
            Required(id, "title", document.Title),
            Required(id, "language", document.Language),
            Required(id, "repository", document.Repository),
            Required(id, "request", document.Request),
            document.Script,
            document.ScriptPlays,
            directory);
        Check(repositoryRoot, scenario);
        return scenario;
    }

    private static void Check(string repositoryRoot, Scenario scenario)
    {
        var source = Path.GetFullPath(Path.Combine(repositoryRoot, scenario.RepositorySource));
        if (!source.StartsWith(repositoryRoot.TrimEnd('/') + "/", StringComparison.Ordinal) || !Directory.Exists(source))
        {
            throw Invalid(scenario.Id, $"its repository '{scenario.RepositorySource}' is not a folder of this repository");
        }

        if (scenario.AcceptanceFiles().Count == 0)
        {
            throw Invalid(scenario.Id, "it has no acceptance tests (acceptance/ is empty or missing)");
        }

        if (scenario.Script is null != scenario.Plays is null)
        {
            throw Invalid(scenario.Id, "\"script\" and \"scriptPlays\" go together");
        }

        if (scenario.Script is { } script
            && (!ValidId().IsMatch(script) || !File.Exists(Path.Combine(ScriptsFolder(repositoryRoot), $"{script}.json"))))
        {
            throw Invalid(scenario.Id, $"its script '{script}' is not in samples/scripts");
        }
    }

    private static string Required(string id, string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? throw Invalid(id, $"\"{field}\" is missing") : value.Trim();

    private static InvalidDataException Invalid(string id, string reason) => new($"Scenario '{id}': {reason}.");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex ValidId();

    private sealed record ScenarioDocument(
        string? Title, string? Language, string? Repository, string? Request, string? Script, ScriptPlays? ScriptPlays);
}
