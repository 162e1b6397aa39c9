using Microsoft.Extensions.AI;

namespace Orchestrator.Llm.Context;

/// <summary>What one conversation may fill of its model's context window (<see cref="ModelOptions"/>), in estimated tokens.</summary>
public sealed record ContextBudget(int ContextWindow, double CompactAt, double KeepRecent)
{
    public long CompactAtTokens => (long)(ContextWindow * CompactAt);

    public long KeepRecentTokens => (long)(ContextWindow * KeepRecent);

    public static ContextBudget For(ModelOptions options, string modelDescription) =>
        new(options.ContextWindowOf(modelDescription), options.CompactAt, options.KeepRecent);

    /// <summary>
    /// A conversation's size in tokens, estimated at four characters a token (what the scripted model charges). Real
    /// tokenizers differ by model; the margin between <see cref="CompactAt"/> and the whole window absorbs that.
    /// </summary>
    public static long Estimate(IEnumerable<ChatMessage> messages) => messages.Sum(Estimate);

    public static long Estimate(ChatMessage message)
    {
        long characters = 0;
        foreach (var content in message.Contents)
        {
            characters += content switch
            {
                TextContent text => text.Text?.Length ?? 0,
                FunctionCallContent call => call.Name.Length + (call.Arguments?.Sum(a => a.Key.Length + (a.Value?.ToString()?.Length ?? 0)) ?? 0),
                FunctionResultContent result => result.Result?.ToString()?.Length ?? 0,
                _ => 0,
            };
        }

        return characters / 4 + 4; // a few tokens of framing per message
    }
}
