using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Llm.Devices;

/// <summary>
/// A recorded feature: every model request and response of the planner and all agents, per agent in the order they
/// were made. Assembled from the per-agent recordings into <c>&lt;Models:CassettesPath&gt;/&lt;feature:N&gt;.cassette.json</c>;
/// see <see cref="CassetteExchange"/> for one recorded call.
/// </summary>
public sealed record Cassette(
    [property: JsonPropertyName("feature")] Guid Feature,
    [property: JsonPropertyName("recordedAt")] DateTimeOffset RecordedAt,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("agents")] IReadOnlyDictionary<string, IReadOnlyList<CassetteExchange>> Agents)
{
    /// <summary>The cassette's name (its file name without <c>.cassette.json</c>); not part of the file.</summary>
    [JsonIgnore]
    public string Name { get; init; } = string.Empty;

    /// <summary>One agent's exchanges, or none.</summary>
    public IReadOnlyList<CassetteExchange> ExchangesOf(string agent) => Agents.TryGetValue(agent, out var exchanges) ? exchanges : [];

    /// <summary>The same cassette with one agent's exchanges only: what that agent needs to replay.</summary>
    public Cassette OnlyAgent(string agent) =>
        this with { Agents = new Dictionary<string, IReadOnlyList<CassetteExchange>>(StringComparer.Ordinal) { [agent] = ExchangesOf(agent) } };
}

/// <summary>
/// One model call: what was sent and what came back.
/// <see cref="Run"/> numbers the agent's conversations (a task attempt, a conflict resolution; 1-based),
/// <see cref="Call"/> the call within the conversation (the assistant messages already in it, plus one),
/// <see cref="Sequence"/> all of the agent's calls in the order they were recorded.
/// </summary>
public sealed record CassetteExchange(
    [property: JsonPropertyName("agent")] string Agent,
    [property: JsonPropertyName("sequence")] int Sequence,
    [property: JsonPropertyName("run")] int Run,
    [property: JsonPropertyName("call")] int Call,
    [property: JsonPropertyName("recordedAt")] DateTimeOffset RecordedAt,
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("request")] CassetteRequest Request,
    [property: JsonPropertyName("response")] CassetteResponse Response);

/// <summary>The request as sent: its messages and the names of the tools offered. Never headers or keys.</summary>
public sealed record CassetteRequest(
    [property: JsonPropertyName("messages")] IReadOnlyList<CassetteMessage> Messages,
    [property: JsonPropertyName("tools")] IReadOnlyList<string> Tools);

/// <summary>One message of a request: a role with text, tool calls (assistant) or tool results (tool).</summary>
public sealed record CassetteMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("toolCalls")] IReadOnlyList<CassetteToolCall>? ToolCalls = null,
    [property: JsonPropertyName("toolResults")] IReadOnlyList<CassetteToolResult>? ToolResults = null);

/// <summary>A tool call with its arguments as JSON (null when the model's arguments were not valid JSON).</summary>
public sealed record CassetteToolCall(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("arguments")] JsonElement? Arguments);

/// <summary>What a tool returned, as the model saw it.</summary>
public sealed record CassetteToolResult(
    [property: JsonPropertyName("callId")] string CallId,
    [property: JsonPropertyName("result")] string? Result);

/// <summary>The model's answer.</summary>
public sealed record CassetteResponse(
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("toolCalls")] IReadOnlyList<CassetteToolCall> ToolCalls,
    [property: JsonPropertyName("usage")] CassetteUsage? Usage,
    [property: JsonPropertyName("modelId")] string? ModelId,
    [property: JsonPropertyName("finishReason")] string? FinishReason);

public sealed record CassetteUsage(
    [property: JsonPropertyName("inputTokens")] long? InputTokens,
    [property: JsonPropertyName("outputTokens")] long? OutputTokens,
    [property: JsonPropertyName("totalTokens")] long? TotalTokens);

/// <summary>
/// A replayed request differs from the recorded one, or the cassette has no recording for the call. The message names
/// the cassette, the agent, the call and the first difference.
/// </summary>
public sealed class CassetteMismatchException(string message) : ModelDeviceException(message);

/// <summary>The JSON settings of cassettes and per-agent recordings.</summary>
public static class CassetteJson
{
    public static readonly JsonSerializerOptions Line = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNameCaseInsensitive = true,
    };

    public static readonly JsonSerializerOptions Document = new(Line) { WriteIndented = true };
}
