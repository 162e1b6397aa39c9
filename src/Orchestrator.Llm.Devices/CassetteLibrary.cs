using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Orchestrator.Llm.Devices;

/// <summary>
/// The cassettes in <c>Models:CassettesPath</c>: <c>&lt;name&gt;.cassette.json</c> files (a recorded feature's is named
/// by its id, <c>&lt;feature:N&gt;</c>; copy or rename one to give it a readable name), and the per-agent recordings of
/// features being recorded, <c>&lt;feature:N&gt;/&lt;agent&gt;.jsonl</c>. Kept by one service (the orchestrator).
/// </summary>
public sealed class CassetteLibrary(IOptions<ModelDeviceOptions> options)
{
    public const string Extension = ".cassette.json";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _lastSequence = new(StringComparer.Ordinal);

    public string Root => Path.GetFullPath(options.Value.CassettesPath);

    private DocumentFolder Folder => new(Root, Extension, "Replay", "cassette");

    /// <summary>Cassette names follow the script names' rule: <c>^[a-z0-9][a-z0-9._-]*$</c>.</summary>
    public static bool IsValidName(string name) => DocumentFolder.IsValidName(name);

    public bool Exists(string name) => Folder.Exists(name);

    public IReadOnlyList<string> Names() => Folder.Names();

    public string PathOf(string name) => Folder.PathOf(name);

    public Cassette Load(string name) => Parse(name, Folder.Read(name));

    public static string Serialize(Cassette cassette) => JsonSerializer.Serialize(cassette, CassetteJson.Document);

    public static Cassette Parse(string name, string json)
    {
        Cassette? cassette;
        try
        {
            cassette = JsonSerializer.Deserialize<Cassette>(json, CassetteJson.Document);
        }
        catch (JsonException ex)
        {
            throw new ModelDeviceException($"Replay: cassette '{name}' is not valid JSON: {ex.Message}");
        }

        if (cassette?.Agents is null)
        {
            throw new ModelDeviceException($"Replay: cassette '{name}' has no \"agents\".");
        }

        return cassette with { Name = name };
    }

    /// <summary>
    /// Appends one exchange to the agent's recording, <c>&lt;feature:N&gt;/&lt;agent&gt;.jsonl</c>, numbered after what
    /// the file already holds (so a restarted keeper continues it), flushed as it is written.
    /// </summary>
    public void Append(Guid featureId, CassetteExchange exchange)
    {
        lock (_gate)
        {
            var file = Path.Combine(Root, featureId.ToString("N"), SafeFileName(exchange.Agent) + ".jsonl");
            if (!_lastSequence.TryGetValue(file, out var last))
            {
                last = File.Exists(file) ? ReadRecording(file).Select(e => e.Sequence).DefaultIfEmpty(0).Max() : 0;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            using (var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                stream.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(exchange with { Sequence = last + 1 }, CassetteJson.Line) + "\n"));
                stream.Flush(flushToDisk: true);
            }

            _lastSequence[file] = last + 1;
        }
    }

    /// <summary>True once the feature's cassette was assembled (the feature ended); later recordings assemble it again.</summary>
    public bool IsAssembled(Guid featureId) => File.Exists(PathOf(featureId.ToString("N")));

    /// <summary>Task ids and "planner" are already safe; anything else is made so.</summary>
    public static string SafeFileName(string agent)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var safe = new string(agent.Select(c => invalid.Contains(c) || c == '/' || c == '\\' ? '_' : c).ToArray());
        return safe is "" or "." or ".." ? "_" + safe : safe;
    }

    /// <summary>
    /// Assembles a feature's per-agent recordings into <c>&lt;feature:N&gt;.cassette.json</c> and returns its path, or
    /// null when nothing of the feature was recorded. The per-agent folder is kept: an agent still stopping after a
    /// failure may append to it, and assembling again (it is idempotent) picks that up.
    /// </summary>
    public string? Assemble(Guid featureId)
    {
        var folder = Path.Combine(Root, featureId.ToString("N"));
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var agents = new SortedDictionary<string, IReadOnlyList<CassetteExchange>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.jsonl"))
        {
            var exchanges = ReadRecording(file).OrderBy(e => e.Sequence).ToList();
            if (exchanges.Count > 0)
            {
                agents[exchanges[0].Agent] = exchanges;
            }
        }

        var all = agents.Values.SelectMany(e => e).ToList();
        var first = all.MinBy(e => e.RecordedAt);
        var planner = agents.TryGetValue(ModelConversation.Planner, out var plannerExchanges) ? plannerExchanges.FirstOrDefault() : null;
        var cassette = new Cassette(
            featureId,
            first?.RecordedAt ?? DateTimeOffset.UtcNow,
            (planner ?? first)?.Model ?? "unknown",
            agents);

        var path = PathOf(featureId.ToString("N"));
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, Serialize(cassette));
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>Reads one agent's recording; a line cut short by a crash mid-write is skipped.</summary>
    public static IEnumerable<CassetteExchange> ReadRecording(string file)
    {
        List<CassetteExchange> exchanges = [];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize<CassetteExchange>(line, CassetteJson.Line) is { } exchange)
                {
                    exchanges.Add(exchange);
                }
            }
            catch (JsonException)
            {
                // An incomplete last line: the exchange was never completed.
            }
        }

        return exchanges;
    }
}
