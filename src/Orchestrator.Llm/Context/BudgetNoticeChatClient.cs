using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Orchestrator.Llm.Context;

/// <summary>
/// Tells the model, on every call, what it has left: tokens of its budget and model calls of its limit (those that are
/// limited). The notice is a last user message of that call only, never part of the history the tool loop keeps, so
/// the model always sees the current figures once. A conversation with no limits gets no notice.
/// </summary>
public sealed class BudgetNoticeChatClient(IChatClient inner, UsageMeter meter) : DelegatingChatClient(inner)
{
    /// <summary>How every notice begins; a recording compares notices by this prefix only (the figures vary).</summary>
    public const string Prefix = "[Budget left for this task:";

    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(WithNotice(messages), options, cancellationToken);

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(WithNotice(messages), options, cancellationToken))
        {
            yield return update;
        }
    }

    /// <summary>The notice for <paramref name="meter"/>'s figures now, or null when nothing is limited.</summary>
    public static string? Notice(UsageMeter meter)
    {
        var parts = new List<string>(2);
        var spent = meter.Total;
        if (meter.TokenBudget is { } budget)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, budget - spent.TotalTokens):N0} of {budget:N0} tokens"));
        }

        if (meter.MaxCalls < int.MaxValue)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, meter.MaxCalls - spent.Calls)} of {meter.MaxCalls} model calls"));
        }

        return parts.Count == 0 ? null : $"{Prefix} {string.Join("; ", parts)}. Finish with your summary before it runs out.]";
    }

    private IEnumerable<ChatMessage> WithNotice(IEnumerable<ChatMessage> messages) =>
        Notice(meter) is { } notice ? [.. messages, new ChatMessage(ChatRole.User, notice)] : messages;
}
