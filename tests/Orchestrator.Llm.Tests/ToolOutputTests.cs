using Microsoft.Extensions.AI;
using Orchestrator.Llm.Context;

namespace Orchestrator.Llm.Tests;

public sealed class ToolOutputTests
{
    [Fact]
    public void Text_within_the_limit_is_returned_as_it_is()
    {
        Assert.Equal("short", ToolOutput.Cut("short", 5));
    }

    [Fact]
    public void Long_text_keeps_its_start_and_its_end_at_line_boundaries_with_the_count_of_what_was_cut()
    {
        var lines = Enumerable.Range(1, 200).Select(i => $"line {i:000}").ToList(); // 9 characters + newline each
        var text = string.Join('\n', lines);

        var cut = ToolOutput.Cut(text, 500);

        Assert.StartsWith("line 001\nline 002\n", cut, StringComparison.Ordinal);
        Assert.EndsWith("line 199\nline 200", cut, StringComparison.Ordinal);
        var note = System.Text.RegularExpressions.Regex.Match(cut, @"\n\.\.\. \[(\d+) characters cut here; the start and the end are shown\] \.\.\.\n");
        Assert.True(note.Success, cut);
        var head = cut[..note.Index];
        var tail = cut[(note.Index + note.Length)..];
        Assert.EndsWith("\n", head, StringComparison.Ordinal); // whole lines only
        Assert.StartsWith("line ", tail, StringComparison.Ordinal);
        Assert.Equal(text.Length, head.Length + int.Parse(note.Groups[1].Value) + tail.Length);
        Assert.InRange(head.Length + tail.Length, 400, 500);
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 1_000)); // 2,000 UTF-16 characters, no line breaks

        var cut = ToolOutput.Cut(text, 101);

        Assert.DoesNotContain(cut, c => char.IsSurrogate(c) && !(char.IsHighSurrogate(c) || char.IsLowSurrogate(c)));
        var valid = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(cut));
        Assert.Equal(cut, valid); // a lone surrogate would have become U+FFFD
    }
}

public sealed class CompactedTurnsTests
{
    [Fact]
    public void A_summary_counts_the_assistant_turns_it_replaced_and_other_messages_count_as_they_are()
    {
        var conversation = new List<ChatMessage>
        {
            new(ChatRole.System, "system"),
            new(ChatRole.User, "task"),
            new(ChatRole.User, CompactedTurns.Header(messages: 9, turns: 4) + "\n\nWhat happened."),
            new(ChatRole.Assistant, "turn 5"),
            new(ChatRole.Tool, CompactedTurns.Header(1, 50)), // a tool's output is not a summary
        };

        Assert.Equal(5, CompactedTurns.In(conversation));
        Assert.Equal(6, CompactedTurns.CallNumber(conversation));
        Assert.Equal(1, CompactedTurns.ReplacedBy(CompactedTurns.Header(2, 1)));
        Assert.Equal(0, CompactedTurns.ReplacedBy("Feature request: [Context compacted: nothing"));
    }
}

public sealed class BudgetNoticeTests
{
    [Fact]
    public void The_notice_shows_the_tokens_and_calls_left()
    {
        var meter = new UsageMeter(maxCalls: 60, tokenBudget: 200_000);
        meter.Record(new UsageDetails { InputTokenCount = 1_000, OutputTokenCount = 234 });

        Assert.Equal(
            "[Budget left for this task: 198,766 of 200,000 tokens; 59 of 60 model calls. Finish with your summary before it runs out.]",
            BudgetNoticeChatClient.Notice(meter));
    }

    [Fact]
    public void A_conversation_without_limits_gets_no_notice()
    {
        Assert.Null(BudgetNoticeChatClient.Notice(new UsageMeter()));
    }
}
