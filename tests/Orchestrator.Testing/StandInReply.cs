using System.Text.Json;

namespace Orchestrator.Testing;

/// <summary>
/// What <see cref="OpenAiStandIn"/> answers to one <c>chat/completions</c> request: assistant text, tool calls, or an
/// HTTP error. Streamed or not as the request asks.
/// </summary>
public sealed record StandInReply
{
    /// <summary>The assistant's text; null for a reply with only tool calls.</summary>
    public string? Content { get; init; }

    /// <summary>Tool calls; their arguments are sent verbatim, so malformed JSON can be sent on purpose.</summary>
    public IReadOnlyList<StandInToolCall> ToolCalls { get; init; } = [];

    /// <summary>HTTP status; anything but 200 is answered with an OpenAI error body.</summary>
    public int Status { get; init; } = 200;

    /// <summary>The error body's <c>error.message</c> for a non-200 status.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Sent as <c>Retry-After</c> (whole seconds, rounded up) and <c>retry-after-ms</c>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Send <c>retry-after-ms</c> along with <c>Retry-After</c> (as OpenAI and Azure do).</summary>
    public bool RetryAfterMilliseconds { get; init; } = true;

    /// <summary>How long the stand-in waits before answering (a slow model, for timeouts and cancellation).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>For a streamed reply: how long it pauses between chunks.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>The <c>usage</c> fields; null estimates them (4 characters a token).</summary>
    public StandInUsage? Usage { get; init; }

    /// <summary>Overrides <c>finish_reason</c> (default <c>tool_calls</c> with tool calls, else <c>stop</c>).</summary>
    public string? FinishReason { get; init; }

    public static StandInReply Text(string content, StandInUsage? usage = null) => new() { Content = content, Usage = usage };

    /// <summary>Assistant text that is the JSON of <paramref name="value"/> (a plan, say).</summary>
    public static StandInReply Json(object value) => Text(JsonSerializer.Serialize(value));

    public static StandInReply Tools(params StandInToolCall[] calls) => new() { ToolCalls = calls };

    /// <summary>One tool call with arguments serialized from <paramref name="arguments"/>.</summary>
    public static StandInReply Tool(string name, object arguments) => Tools(StandInToolCall.Of(name, arguments));

    /// <summary>One tool call whose arguments are sent exactly as given (malformed on purpose, if you like).</summary>
    public static StandInReply ToolRaw(string name, string rawArguments) => Tools(new StandInToolCall(name, rawArguments));

    public static StandInReply Error(int status, string? message = null, TimeSpan? retryAfter = null) =>
        new() { Status = status, ErrorMessage = message, RetryAfter = retryAfter };

    public static StandInReply TooManyRequests(TimeSpan retryAfter) =>
        Error(429, "Rate limit reached for requests. Please try again later.", retryAfter);

    public static StandInReply ServerError() => Error(500, "The server had an error while processing your request.");
}

/// <summary>One tool call; <see cref="Arguments"/> is the raw <c>function.arguments</c> string.</summary>
public sealed record StandInToolCall(string Name, string Arguments, string? Id = null)
{
    public static StandInToolCall Of(string name, object arguments, string? id = null) => new(name, JsonSerializer.Serialize(arguments), id);
}

/// <summary>The <c>usage</c> of a reply.</summary>
public sealed record StandInUsage(int PromptTokens, int CompletionTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}
