using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Orchestrator.Llm;

/// <summary>
/// Records every call made through it — the request's messages and offered tool names, and the response — into the
/// agent's recording file (see <see cref="CassetteRecorder"/>). It sits directly around the model client, inside the
/// function-invocation loop, so every tool-call turn is a call of its own. Only messages are recorded: no headers, no
/// keys, no options.
/// </summary>
public sealed class RecordingChatClient(IChatClient inner, CassetteRecorder recorder, Guid featureId, string agent, string model)
    : DelegatingChatClient(inner)
{
    private int _run;

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var conversation = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var response = await base.GetResponseAsync(conversation, options, cancellationToken);
        Record(conversation, options, response);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var conversation = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(conversation, options, cancellationToken))
        {
            updates.Add(update);
            yield return update;
        }

        Record(conversation, options, updates.ToChatResponse());
    }

    private void Record(IReadOnlyCollection<ChatMessage> conversation, ChatOptions? options, ChatResponse response)
    {
        // The run (this client's conversation) is numbered at its first call, so a client that never calls makes no run.
        if (_run == 0)
        {
            _run = recorder.NextRun(featureId, agent);
        }

        var call = conversation.Count(m => m.Role == ChatRole.Assistant) + 1;
        recorder.Append(featureId, agent, sequence => new CassetteExchange(
            agent,
            sequence,
            _run,
            call,
            DateTimeOffset.UtcNow,
            model,
            CassetteCapture.Request(conversation, options),
            CassetteCapture.Response(response)));
    }
}

/// <summary>
/// Appends recorded exchanges to <c>&lt;CassettesPath&gt;/&lt;feature:N&gt;/&lt;agent&gt;.jsonl</c>, one JSON line per
/// exchange, flushed as it is written. One file per agent, so the separate agent services never share a file; the
/// sequence and run numbers continue what the file already holds (a restarted service appends).
/// </summary>
public sealed class CassetteRecorder(string root)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Sequence, int Run)> _counters = new(StringComparer.Ordinal);

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The folder of a feature's per-agent recordings.</summary>
    public string FolderOf(Guid featureId) => Path.Combine(Root, featureId.ToString("N"));

    public string FileOf(Guid featureId, string agent) => Path.Combine(FolderOf(featureId), SafeFileName(agent) + ".jsonl");

    /// <summary>Numbers a new conversation of the agent.</summary>
    public int NextRun(Guid featureId, string agent)
    {
        lock (_gate)
        {
            var file = FileOf(featureId, agent);
            var counters = Counters(file);
            _counters[file] = counters with { Run = counters.Run + 1 };
            return counters.Run + 1;
        }
    }

    public void Append(Guid featureId, string agent, Func<int, CassetteExchange> exchange)
    {
        lock (_gate)
        {
            var file = FileOf(featureId, agent);
            var counters = Counters(file);
            var line = JsonSerializer.Serialize(exchange(counters.Sequence + 1), CassetteJson.Line);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            using (var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                var bytes = Encoding.UTF8.GetBytes(line + "\n");
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            _counters[file] = counters with { Sequence = counters.Sequence + 1 };
        }
    }

    /// <summary>Task ids and "planner" are already safe; anything else is made so.</summary>
    public static string SafeFileName(string agent)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var safe = new string(agent.Select(c => invalid.Contains(c) || c == '/' || c == '\\' ? '_' : c).ToArray());
        return safe is "" or "." or ".." ? "_" + safe : safe;
    }

    private (int Sequence, int Run) Counters(string file)
    {
        if (_counters.TryGetValue(file, out var counters))
        {
            return counters;
        }

        counters = (0, 0);
        if (File.Exists(file))
        {
            foreach (var exchange in CassetteLibrary.ReadRecording(file))
            {
                counters = (Math.Max(counters.Sequence, exchange.Sequence), Math.Max(counters.Run, exchange.Run));
            }
        }

        _counters[file] = counters;
        return counters;
    }
}

/// <summary>Turns Microsoft.Extensions.AI messages into their recorded form.</summary>
public static class CassetteCapture
{
    public static CassetteRequest Request(IEnumerable<ChatMessage> messages, ChatOptions? options) =>
        new(messages.Select(Message).ToList(), options?.Tools?.Select(t => t.Name).ToList() ?? []);

    public static CassetteMessage Message(ChatMessage message)
    {
        var calls = message.Contents.OfType<FunctionCallContent>().Select(ToolCall).ToList();
        var results = message.Contents.OfType<FunctionResultContent>()
            .Select(r => new CassetteToolResult(r.CallId, ResultText(r.Result)))
            .ToList();
        var text = message.Text;
        return new CassetteMessage(
            message.Role.Value,
            string.IsNullOrEmpty(text) ? null : text,
            calls.Count > 0 ? calls : null,
            results.Count > 0 ? results : null);
    }

    public static CassetteResponse Response(ChatResponse response)
    {
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(ToolCall).ToList();
        var text = response.Text;
        var usage = response.Usage is { } u ? new CassetteUsage(u.InputTokenCount, u.OutputTokenCount, u.TotalTokenCount) : null;
        return new CassetteResponse(string.IsNullOrEmpty(text) ? null : text, calls, usage, response.ModelId, response.FinishReason?.Value);
    }

    public static CassetteToolCall ToolCall(FunctionCallContent call) =>
        new(call.CallId, call.Name, call.Arguments is null ? null : JsonSerializer.SerializeToElement(call.Arguments, AIJsonUtilities.DefaultOptions));

    private static string? ResultText(object? result) => result switch
    {
        null => null,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
        JsonElement element => element.GetRawText(),
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions),
    };
}
