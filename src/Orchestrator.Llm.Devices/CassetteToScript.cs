using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Llm.Devices;

/// <summary>
/// Turns a cassette into a script for the scripted model (docs/scripted-model.md): per agent, the recorded responses
/// of its last run (a task's successful attempt; the planner's only run, invalid plans included) become its turns, in
/// call order — text as <c>content</c>, tool calls with their arguments as <c>toolCalls</c>. The script plays the same
/// tool calls and answers without reading anything, as scripts do.
/// </summary>
public static class CassetteToScript
{
    public static string Convert(Cassette cassette, string? description = null)
    {
        var agents = new JsonObject();
        foreach (var (agent, exchanges) in cassette.Agents.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (exchanges.Count == 0)
            {
                continue;
            }

            var lastRun = exchanges.Max(e => e.Run);
            var turns = new JsonArray();
            foreach (var exchange in exchanges.Where(e => e.Run == lastRun).OrderBy(e => e.Call).ThenBy(e => e.Sequence))
            {
                var turn = new JsonObject();
                if (exchange.Response.Text is { } text)
                {
                    turn["content"] = text;
                }

                if (exchange.Response.ToolCalls.Count > 0)
                {
                    turn["toolCalls"] = new JsonArray(exchange.Response.ToolCalls.Select(call => (JsonNode)new JsonObject
                    {
                        ["name"] = call.Name,
                        ["arguments"] = call.Arguments is { ValueKind: JsonValueKind.Object } arguments ? JsonNode.Parse(arguments.GetRawText()) : new JsonObject(),
                    }).ToArray());
                }

                if (turn.Count == 0)
                {
                    turn["content"] = string.Empty;
                }

                turns.Add(turn);
            }

            agents[agent] = turns;
        }

        var script = new JsonObject
        {
            ["description"] = description ??
                $"Converted from cassette {(cassette.Name is "" ? cassette.Feature.ToString("N") : cassette.Name)} " +
                $"(feature {cassette.Feature:N}, recorded {cassette.RecordedAt:u} with {cassette.Model}).",
            ["agents"] = agents,
        };
        return script.ToJsonString(CassetteJson.Document);
    }

    /// <summary>The converted script, parsed as the scripted model would load it.</summary>
    public static ModelScript ToScript(Cassette cassette, string name) => ModelScriptParser.Parse(name, Convert(cassette));
}
