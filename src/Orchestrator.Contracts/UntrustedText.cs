using System.Text;

namespace Orchestrator.Contracts;

/// <summary>
/// Rules for text that comes from outside and is shown to people or models (request text, repository content, tool
/// output, agent summaries): characters that change how text reads without being seen are removed.
/// </summary>
public static class UntrustedText
{
    /// <summary>
    /// Removes bidirectional controls (which can make code read differently from how it runs), Unicode tag characters
    /// (which can carry invisible instructions to a model), and zero-width and other invisible format characters, except
    /// the zero-width joiner that emoji sequences need.
    /// </summary>
    public static string StripHidden(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        StringBuilder? cleaned = null;
        for (var i = 0; i < text.Length; i++)
        {
            var isPair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var codePoint = isPair ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
            if (IsHidden(codePoint))
            {
                cleaned ??= new StringBuilder(text, 0, i, text.Length);
            }
            else
            {
                cleaned?.Append(text, i, isPair ? 2 : 1);
            }

            if (isPair)
            {
                i++;
            }
        }

        return cleaned?.ToString() ?? text;
    }

    private static bool IsHidden(int codePoint) => codePoint switch
    {
        >= 0x202A and <= 0x202E => true, // embeddings and overrides
        >= 0x2066 and <= 0x2069 => true, // isolates
        0x200E or 0x200F or 0x061C => true, // directional marks
        0x200B or 0x200C or 0x2060 or 0xFEFF or 0x180E => true, // zero-width space, non-joiner, word joiner, BOM
        >= 0xE0000 and <= 0xE007F => true, // tag characters
        _ => false,
    };
}
