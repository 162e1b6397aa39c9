using System.Text.Json;

namespace Orchestrator.Testing;

/// <summary>
/// A request <see cref="OpenAiStandIn"/> received, for assertions. Credentials are not kept: only whether they came
/// and whether they matched <see cref="OpenAiStandIn.ExpectedKey"/>.
/// </summary>
public sealed class StandInRequest
{
    internal StandInRequest(
        int number, string path, string query, DateTimeOffset receivedAt, JsonElement body,
        IReadOnlyDictionary<string, string> headers, bool hadBearerAuth, bool hadApiKeyHeader, bool? keyAccepted)
    {
        Number = number;
        Path = path;
        Query = query;
        ReceivedAt = receivedAt;
        Body = body;
        Headers = headers;
        HadBearerAuth = hadBearerAuth;
        HadApiKeyHeader = hadApiKeyHeader;
        KeyAccepted = keyAccepted;
        Messages = ReadMessages(body);
    }

    /// <summary>1 for the first request the stand-in received, and so on.</summary>
    public int Number { get; }

    public string Path { get; }

    /// <summary>The query string, with its leading '?' (empty when there is none).</summary>
    public string Query { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The request body as sent.</summary>
    public JsonElement Body { get; }

    /// <summary>Request headers, lower-case names; <c>authorization</c> and <c>api-key</c> values read "(redacted)".</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>An <c>Authorization: Bearer ...</c> header came with the request.</summary>
    public bool HadBearerAuth { get; }

    /// <summary>An <c>api-key</c> header (Azure OpenAI's) came with the request.</summary>
    public bool HadApiKeyHeader { get; }

    /// <summary>Whether the key matched <see cref="OpenAiStandIn.ExpectedKey"/>; null when no key was expected.</summary>
    public bool? KeyAccepted { get; }

    public IReadOnlyList<StandInMessage> Messages { get; }

    /// <summary>When the stand-in started on the request (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</summary>
    public long StartedAt { get; internal set; }

    /// <summary>
    /// How long the stand-in took from receiving the request to the end of its answer, including any
    /// <see cref="StandInReply.Delay"/>: the "model's time" of the call. Zero until the answer is written.
    /// </summary>
    public TimeSpan Handling { get; internal set; }

    public string? Model => Body.TryGetProperty("model", out var model) ? model.GetString() : null;

    public bool Stream => Body.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;

    public bool IncludeUsage =>
        Body.TryGetProperty("stream_options", out var options) && options.ValueKind == JsonValueKind.Object
        && options.TryGetProperty("include_usage", out var include) && include.ValueKind == JsonValueKind.True;

    /// <summary>The <c>response_format</c> object, if any.</summary>
    public JsonElement? ResponseFormat =>
        Body.TryGetProperty("response_format", out var format) && format.ValueKind == JsonValueKind.Object ? format : null;

    /// <summary>The names of the tools offered (<c>tools[].function.name</c>).</summary>
    public IReadOnlyList<string> ToolNames =>
        Body.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array
            ? tools.EnumerateArray()
                .Select(t => t.TryGetProperty("function", out var f) && f.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "")
                .ToList()
            : [];

    /// <summary>The <c>tool</c> messages (results of earlier tool calls), in order.</summary>
    public IReadOnlyList<StandInMessage> ToolMessages => Messages.Where(m => m.Role == "tool").ToList();

    public override string ToString() => $"#{Number} POST {Path}{Query} ({Messages.Count} messages{(Stream ? ", stream" : "")})";

    private static List<StandInMessage> ReadMessages(JsonElement body)
    {
        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return messages.EnumerateArray().Select(m => new StandInMessage(
            m.TryGetProperty("role", out var role) ? role.GetString() ?? "" : "",
            m.TryGetProperty("content", out var content) ? TextOf(content) : null,
            m.TryGetProperty("tool_call_id", out var id) ? id.GetString() : null,
            m.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array
                ? calls.EnumerateArray().Select(c => new StandInToolCall(
                    c.GetProperty("function").GetProperty("name").GetString() ?? "",
                    c.GetProperty("function").TryGetProperty("arguments", out var a) ? a.GetString() ?? "" : "",
                    c.TryGetProperty("id", out var callId) ? callId.GetString() : null)).ToList()
                : [])).ToList();
    }

    // Content is a string or an array of parts ({"type":"text","text":"..."}).
    private static string? TextOf(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString(),
        JsonValueKind.Array => string.Concat(content.EnumerateArray()
            .Where(p => p.TryGetProperty("type", out var t) && t.GetString() == "text")
            .Select(p => p.GetProperty("text").GetString())),
        _ => null,
    };
}

/// <summary>One message of a request: role, text, and for tool results the call they answer.</summary>
public sealed record StandInMessage(string Role, string? Content, string? ToolCallId, IReadOnlyList<StandInToolCall> ToolCalls);
