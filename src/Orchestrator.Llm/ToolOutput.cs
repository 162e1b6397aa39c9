namespace Orchestrator.Llm;

/// <summary>
/// Cuts text that goes back to a model to a length it can afford: the head and the tail are kept (a build's errors are
/// at its end, a file's declarations at its start) with a note in between saying how much was cut.
/// </summary>
public static class ToolOutput
{
    /// <summary>The share of the allowed length given to the head; the rest is the tail.</summary>
    public const double HeadShare = 0.6;

    /// <summary><paramref name="text"/> when it fits in <paramref name="maxChars"/>, else its head and tail with a note of what was cut.</summary>
    public static string Cut(string text, int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxChars);
        if (text.Length <= maxChars)
        {
            return text;
        }

        var (headLength, tailLength) = Split(maxChars);
        var headEnd = AtLineEnd(text, headLength);
        var tailStart = AtLineStart(text, text.Length - tailLength, headEnd);
        return Joined(text.AsSpan(0, headEnd), tailStart - headEnd, text.AsSpan(tailStart));
    }

    /// <summary>The head and tail lengths of a cut to <paramref name="maxChars"/>.</summary>
    public static (int Head, int Tail) Split(int maxChars)
    {
        var head = (int)(maxChars * HeadShare);
        return (head, maxChars - head);
    }

    /// <summary>A head and a tail with the note of the <paramref name="cut"/> characters between them ("at least" when not all were counted).</summary>
    public static string Joined(ReadOnlySpan<char> head, long cut, ReadOnlySpan<char> tail, bool countedAll = true) =>
        string.Concat(head, $"\n... [{(countedAll ? "" : "at least ")}{cut} characters cut here; the start and the end are shown] ...\n", tail);

    // The head ends after a line break when one is near (the last fifth of the head), and never inside a surrogate pair.
    private static int AtLineEnd(string text, int length)
    {
        var newline = text.LastIndexOf('\n', Math.Max(0, length - 1), length - length * 4 / 5);
        var end = newline >= 0 ? newline + 1 : length;
        return end > 0 && char.IsHighSurrogate(text[end - 1]) ? end - 1 : end;
    }

    // The tail starts at a line start when one is near (the first fifth of the tail), and never inside a surrogate pair.
    private static int AtLineStart(string text, int start, int notBefore)
    {
        var window = (text.Length - start) / 5;
        var newline = window > 0 ? text.IndexOf('\n', start, window) : -1;
        var begin = newline >= 0 ? newline + 1 : start;
        begin = Math.Max(begin, notBefore);
        return begin < text.Length && char.IsLowSurrogate(text[begin]) ? begin + 1 : begin;
    }
}
