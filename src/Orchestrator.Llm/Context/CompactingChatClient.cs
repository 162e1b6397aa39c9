using System.Text;
using Microsoft.Extensions.AI;

namespace Orchestrator.Llm.Context;

/// <summary>
/// Keeps a conversation inside its model's context window. Before each call the conversation is estimated (four
/// characters a token, as the scripted model counts); above <see cref="ContextBudget.CompactAt"/> of the window, the
/// turns between the opening (system prompt and task) and the most recent ones are summarised by the model in a
/// conversation of their own (<c>&lt;agent&gt;/compaction-&lt;n&gt;</c>) and replaced by that summary. The summary is
/// kept for the later calls of the same tool loop, which resend the whole history; it is compacted again when needed.
/// Sits inside the function-invoking client, so every round of the tool loop passes through it.
/// </summary>
public sealed class CompactingChatClient(IChatClient inner, ContextBudget budget, CompactionModel summariser) : DelegatingChatClient(inner)
{
    private Compaction? _compaction;

    /// <summary>How many compactions this conversation has had.</summary>
    public int Compactions { get; private set; }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await base.GetResponseAsync(await CompactedAsync(messages, cancellationToken), options, cancellationToken);

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sent = await CompactedAsync(messages, cancellationToken);
        await foreach (var update in base.GetStreamingResponseAsync(sent, options, cancellationToken))
        {
            yield return update;
        }
    }

    /// <summary>The conversation as it goes to the model: with the summary so far in place, compacted again if it is still too long.</summary>
    private async Task<IReadOnlyList<ChatMessage>> CompactedAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var history = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var opening = OpeningLength(history);
        if (_compaction is { } earlier && !earlier.Fits(history))
        {
            _compaction = null; // Another history than the one summarised: start again.
        }

        var shown = _compaction?.Apply(history, opening) ?? history;
        if (ContextBudget.Estimate(shown) <= budget.CompactAtTokens)
        {
            return shown;
        }

        // An earlier summary is compacted into the new one, but compacting it alone would gain nothing.
        var keepFrom = RecentStart(shown, opening, mustPass: opening + (_compaction is null ? 0 : 1));
        if (keepFrom is not { } start)
        {
            return shown; // Nothing between the opening and the latest turn to compact: the model gets it whole.
        }

        var compacted = shown.Skip(opening).Take(start - opening).ToList();
        var turns = CompactedTurns.In(compacted);
        Compactions++;
        var summary = await summariser.SummariseAsync(history.Take(opening).ToList(), compacted, Compactions, cancellationToken);
        var message = new ChatMessage(ChatRole.User, $"{CompactedTurns.Header(compacted.Count, turns)}\n\n{summary}");
        // The original index of the first message kept: the shown list is opening + [summary] + history[covered..].
        var covered = _compaction is null ? start : _compaction.Covered + (start - opening - 1);
        _compaction = new Compaction(covered, message, history[covered - 1]);
        return _compaction.Apply(history, opening);
    }

    // The system prompt(s) and the first user message (the task) are never compacted.
    private static int OpeningLength(IReadOnlyList<ChatMessage> history)
    {
        var index = 0;
        while (index < history.Count && history[index].Role == ChatRole.System)
        {
            index++;
        }

        return index < history.Count && history[index].Role == ChatRole.User ? index + 1 : index;
    }

    /// <summary>
    /// Where the recent turns start: the latest messages that fit in <see cref="ContextBudget.KeepRecentTokens"/>,
    /// begun at an assistant or user message (a tool result never loses its call), and at least the last turn. Null when
    /// that leaves nothing to compact after <paramref name="mustPass"/>.
    /// </summary>
    private int? RecentStart(IReadOnlyList<ChatMessage> shown, int firstCompactable, int mustPass)
    {
        var start = shown.Count;
        long kept = 0;
        for (var i = shown.Count - 1; i >= firstCompactable; i--)
        {
            kept += ContextBudget.Estimate(shown[i]);
            if (kept > budget.KeepRecentTokens && start < shown.Count)
            {
                break;
            }

            if (shown[i].Role != ChatRole.Tool)
            {
                start = i;
            }
        }

        return start > mustPass && start < shown.Count ? start : null;
    }

    /// <summary>The history up to <see cref="Covered"/> (after its opening) replaced by <see cref="Summary"/>.</summary>
    private sealed record Compaction(int Covered, ChatMessage Summary, ChatMessage LastCovered)
    {
        // The tool loop resends the same list with messages added at its end.
        public bool Fits(IReadOnlyList<ChatMessage> history) => history.Count >= Covered && ReferenceEquals(history[Covered - 1], LastCovered);

        public IReadOnlyList<ChatMessage> Apply(IReadOnlyList<ChatMessage> history, int opening) =>
            [.. history.Take(opening), Summary, .. history.Skip(Covered)];
    }
}
