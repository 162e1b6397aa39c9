using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Orchestrator.Llm.Devices;

/// <summary>
/// The scripted model: plays one agent's turns of a <see cref="ModelScript"/>, one per call. The turn played is the
/// number of assistant messages already in the conversation, so replays are deterministic and stateless.
/// A demo and test device, not an AI; its model id says so.
/// </summary>
public sealed class ScriptedChatClient(ModelScript script, string agent) : PlayedChatClient
{
    public const string ProviderName = "scripted";

    private readonly IReadOnlyList<ScriptTurn> _turns = script.TurnsFor(agent);

    protected override string Provider => ProviderName;

    public override string ModelId => $"{ProviderName}:{script.Name}";

    protected override ChatResponse Play(IReadOnlyCollection<ChatMessage> conversation, ChatOptions? options, int call)
    {
        var played = call - 1;
        if (played >= _turns.Count)
        {
            throw new ModelDeviceException(
                $"Scripted model: script '{script.Name}' has no turn {played + 1} for '{agent}' " +
                $"(it has {_turns.Count}); the script must end with a final \"content\" turn.");
        }

        var turn = _turns[played];
        var message = new ChatMessage(ChatRole.Assistant, []);
        if (turn.Content is not null)
        {
            message.Contents.Add(new TextContent(turn.Content));
        }

        for (var i = 0; i < turn.ToolCalls.Count; i++)
        {
            var toolCall = turn.ToolCalls[i];
            message.Contents.Add(new FunctionCallContent($"call_{call}_{i + 1}", toolCall.Name, ToArguments(toolCall.Arguments)));
        }

        return new ChatResponse(message)
        {
            ModelId = ModelId,
            FinishReason = turn.ToolCalls.Count > 0 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            Usage = EstimateUsage(conversation, turn),
        };
    }

    // Scripted turns cost nothing; usage is estimated (4 characters a token) so accounting is exercised end to end.
    private static UsageDetails EstimateUsage(IEnumerable<ChatMessage> conversation, ScriptTurn turn)
    {
        long input = conversation.Sum(m => (long)(m.Text?.Length ?? 0)) / 4;
        long output = ((turn.Content?.Length ?? 0) + turn.ToolCalls.Sum(c => c.Name.Length + c.Arguments.Sum(a => a.Value.GetRawText().Length))) / 4;
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }

    internal static Dictionary<string, object?> ToArguments(IReadOnlyDictionary<string, JsonElement> arguments) =>
        arguments.ToDictionary(a => a.Key, a => (object?)(a.Value.ValueKind switch
        {
            JsonValueKind.String => a.Value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            JsonValueKind.Number when a.Value.TryGetInt64(out var integer) => integer,
            JsonValueKind.Number => a.Value.GetDouble(),
            _ => a.Value,
        }));
}
