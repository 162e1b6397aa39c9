using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Orchestrator.Llm.Context;

namespace Orchestrator.Llm.Devices;

/// <summary>
/// Records every call made through it — the request's messages and offered tool names, and the response — into the
/// feature's recording at the keeper (<see cref="IModelDeviceStore.RecordAsync"/>). It sits directly around the model
/// client, inside the function-invocation loop, so every tool-call turn is a call of its own. Only messages are
/// recorded: no headers, no keys, no options.
/// </summary>
public sealed class RecordingChatClient(IChatClient inner, IModelDeviceStore store, ModelConversation conversation, string model)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var sent = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var response = await base.GetResponseAsync(sent, options, cancellationToken);
        await RecordAsync(sent, options, response, cancellationToken);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sent = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(sent, options, cancellationToken))
        {
            updates.Add(update);
            yield return update;
        }

        await RecordAsync(sent, options, updates.ToChatResponse(), cancellationToken);
    }

    private Task RecordAsync(IReadOnlyCollection<ChatMessage> sent, ChatOptions? options, ChatResponse response, CancellationToken cancellationToken)
    {
        var call = CompactedTurns.CallNumber(sent);
        var exchange = new CassetteExchange(
            conversation.Agent,
            Sequence: 0, // numbered by the keeper, in the order the calls arrive
            conversation.Run,
            call,
            DateTimeOffset.UtcNow,
            model,
            CassetteCapture.Request(sent, options),
            CassetteCapture.Response(response));
        return store.RecordAsync(conversation.FeatureId, exchange, cancellationToken);
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
