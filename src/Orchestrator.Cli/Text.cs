namespace Orchestrator.Cli;

/// <summary>Small string helpers for terminal output.</summary>
internal static class Text
{
    /// <summary>Seven characters is the abbreviation git itself uses for commits.</summary>
    public static string ShortCommit(string commit) => commit.Length > 7 ? commit[..7] : commit;

    /// <summary>The first non-blank line, trimmed; agents' summaries are often multi-line markdown.</summary>
    public static string? FirstLine(string? text)
    {
        if (text is null)
        {
            return null;
        }

        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0)
            {
                return trimmed;
            }
        }

        return null;
    }

    /// <summary>The last non-blank line, trimmed: where a build or test run prints its verdict.</summary>
    public static string? LastLine(string? text) => FirstLine(text is null ? null : string.Join('\n', text.Split('\n').Reverse()));

    /// <summary>Collapses line breaks so a message stays on one line of stderr.</summary>
    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public static string Truncate(string text, int maxLength) =>
        text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength - 1), "…");
}
