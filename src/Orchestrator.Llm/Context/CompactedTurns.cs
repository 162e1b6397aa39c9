using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Orchestrator.Llm.Context;

/// <summary>
/// Counts a conversation's model turns when older ones may have been compacted: each compaction summary says, in its
/// first line, how many assistant turns it replaces. Devices that play a conversation by its turn number (the scripted
/// model, a replay, a recording) count through here, so compaction does not shift what they play.
/// </summary>
public static partial class CompactedTurns
{
    private const string Prefix = "[Context compacted: ";

    /// <summary>The first line of a compaction summary replacing <paramref name="messages"/> messages holding <paramref name="turns"/> assistant turns.</summary>
    public static string Header(int messages, int turns) =>
        $"{Prefix}{messages} earlier messages ({turns} model {(turns == 1 ? "turn" : "turns")}) are summarised below to stay within the model's context window.]";

    /// <summary>The assistant turns a conversation holds: those in it, and those its compaction summaries replaced.</summary>
    public static int In(IEnumerable<ChatMessage> conversation) =>
        conversation.Sum(m => m.Role == ChatRole.Assistant ? 1 : m.Role == ChatRole.User ? ReplacedBy(m.Text) : 0);

    /// <summary>The number of the call a conversation is sent for (1-based): the turns it already holds, plus one.</summary>
    public static int CallNumber(IEnumerable<ChatMessage> conversation) => In(conversation) + 1;

    /// <summary>The assistant turns a message's text says it replaced (0 for any other message).</summary>
    public static int ReplacedBy(string? text)
    {
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return 0;
        }

        var match = HeaderPattern().Match(text);
        return match.Success ? int.Parse(match.Groups["turns"].ValueSpan, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"^\[Context compacted: \d+ earlier messages \((?<turns>\d+) model turns?\)")]
    private static partial Regex HeaderPattern();
}
