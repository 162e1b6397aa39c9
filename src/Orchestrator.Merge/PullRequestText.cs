using System.Text.RegularExpressions;
using Orchestrator.Contracts;

namespace Orchestrator.Merge;

/// <summary>
/// How untrusted text (agent summaries, command output, the request) goes into a pull request body without changing
/// it: inside a fence longer than any run of backticks it holds, so it cannot close the block; with its mentions
/// neutralised, so no one is notified; without hidden characters.
/// </summary>
public static partial class PullRequestText
{
    /// <summary>GitHub refuses bodies over 65,536 characters; this leaves room for the parts that are ours.</summary>
    public const int MaxBodyLength = 60_000;

    public static string Fenced(string text, int maxLength)
    {
        var content = Bounded(UntrustedText.StripHidden(text).Trim(), maxLength);
        var longest = BacktickRuns().Matches(content).Select(m => m.Length).DefaultIfEmpty(0).Max();
        var fence = new string('`', Math.Max(3, longest + 1));
        return $"{fence}text\n{content}\n{fence}";
    }

    /// <summary>Inline code that its content cannot close: delimited by more backticks than any run inside it.</summary>
    public static string Code(string text)
    {
        var content = UntrustedText.StripHidden(text).ReplaceLineEndings(" ");
        var longest = BacktickRuns().Matches(content).Select(m => m.Length).DefaultIfEmpty(0).Max();
        var delimiter = new string('`', longest + 1);
        var padding = content.StartsWith('`') || content.EndsWith('`') ? " " : string.Empty;
        return $"{delimiter}{padding}{content}{padding}{delimiter}";
    }

    /// <summary>Markdown kept as markdown (a title, a summary line), with mentions and hidden characters made harmless.</summary>
    public static string Inline(string text) =>
        Mention().Replace(UntrustedText.StripHidden(text), "&#64;$1");

    /// <summary>At most <paramref name="maxLength"/> characters, saying how much was left out.</summary>
    public static string Bounded(string text, int maxLength) =>
        text.Length <= maxLength ? text : text[..maxLength] + $"\n… ({text.Length - maxLength:N0} more characters not shown)";

    [GeneratedRegex("`+")]
    private static partial Regex BacktickRuns();

    // @user and @org/team, as GitHub links them; e-mail addresses (a word character before the @) are left alone.
    [GeneratedRegex(@"(?<![\w`])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9_.-]+)?)")]
    private static partial Regex Mention();
}
