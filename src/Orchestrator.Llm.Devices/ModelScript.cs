using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Llm.Devices;

/// <summary>
/// A script for the scripted model: per agent (the "planner", or a task id) the assistant turns it plays, in order.
/// A demo and test device, not an AI. The format is documented in docs/scripted-model.md.
/// </summary>
public sealed record ModelScript(string Name, string Description, IReadOnlyDictionary<string, IReadOnlyList<ScriptTurn>> Agents)
{
    public IReadOnlyList<ScriptTurn> TurnsFor(string agent) =>
        Agents.TryGetValue(agent, out var turns)
            ? turns
            : throw new ModelDeviceException($"Scripted model: script '{Name}' has no turns for '{agent}'.");
}

/// <summary>One assistant message: a final text, tool calls, or both.</summary>
public sealed record ScriptTurn(string? Content, IReadOnlyList<ScriptToolCall> ToolCalls);

/// <summary>A tool call the scripted model makes; arguments keep their JSON shape.</summary>
public sealed record ScriptToolCall(string Name, IReadOnlyDictionary<string, JsonElement> Arguments);

/// <summary>Reads scripts from JSON.</summary>
public static class ModelScriptParser
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static ModelScript Parse(string name, string json)
    {
        ScriptDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<ScriptDocument>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new ModelDeviceException($"Scripted model: script '{name}' is not valid JSON: {ex.Message}");
        }

        if (document?.Agents is not { Count: > 0 })
        {
            throw new ModelDeviceException($"Scripted model: script '{name}' has no \"agents\".");
        }

        var agents = new Dictionary<string, IReadOnlyList<ScriptTurn>>(StringComparer.Ordinal);
        foreach (var (agent, turns) in document.Agents)
        {
            agents[agent] = turns.Select((turn, index) => ToTurn(name, agent, index, turn)).ToList();
        }

        return new ModelScript(name, document.Description ?? string.Empty, agents);
    }

    private static ScriptTurn ToTurn(string name, string agent, int index, TurnDocument turn)
    {
        var content = turn.Content switch
        {
            null => null,
            { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.String } text => text.GetString(),
            { } structured => structured.GetRawText(),
        };

        var calls = (turn.ToolCalls ?? []).Select(call =>
        {
            if (string.IsNullOrWhiteSpace(call.Name))
            {
                throw new ModelDeviceException(
                    $"Scripted model: script '{name}', agent '{agent}', turn {index + 1}: a tool call has no name.");
            }

            IReadOnlyDictionary<string, JsonElement> arguments = call.Arguments is { ValueKind: JsonValueKind.Object } args
                ? args.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
                : new Dictionary<string, JsonElement>();
            return new ScriptToolCall(call.Name, arguments);
        }).ToList();

        if (content is null && calls.Count == 0)
        {
            throw new ModelDeviceException(
                $"Scripted model: script '{name}', agent '{agent}', turn {index + 1} has neither content nor toolCalls.");
        }

        return new ScriptTurn(content, calls);
    }

    private sealed record ScriptDocument(
        [property: JsonPropertyName("description")] string? Description,
        [property: JsonPropertyName("agents")] Dictionary<string, List<TurnDocument>>? Agents);

    private sealed record TurnDocument(
        [property: JsonPropertyName("content")] JsonElement? Content,
        [property: JsonPropertyName("toolCalls")] List<ToolCallDocument>? ToolCalls);

    private sealed record ToolCallDocument(
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("arguments")] JsonElement? Arguments);
}
