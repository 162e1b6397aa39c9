using System.Globalization;
using System.Text.RegularExpressions;
using Orchestrator.Contracts;

namespace Orchestrator.Agents.Transcripts;

/// <summary>
/// How a transcript step's text is made fit to keep and show: credentials scrubbed, hidden characters removed, one
/// line, and at most <see cref="MaxLength"/> characters with a note of how much was cut.
/// </summary>
public static partial class StepText
{
    public const int MaxLength = 300;

    private const string Redacted = "***";

    /// <summary>Scrubbed and bounded; <paramref name="secrets"/> are values known to be secret (the attempt's staging credential).</summary>
    public static string Summarise(string? text, IReadOnlyCollection<string> secrets, int maxLength = MaxLength)
    {
        var scrubbed = Scrub(text ?? string.Empty, secrets);
        var oneLine = WhiteSpace().Replace(scrubbed, " ").Trim();
        if (oneLine.Length <= maxLength)
        {
            return oneLine;
        }

        // Never cut a surrogate pair in half.
        var cut = char.IsHighSurrogate(oneLine[maxLength - 1]) ? maxLength - 1 : maxLength;
        return string.Create(CultureInfo.InvariantCulture, $"{oneLine[..cut]}… [{oneLine.Length - cut} more characters cut]");
    }

    /// <summary>
    /// Removes what looks like a credential: the user-info of a URL (<c>https://user:token@host</c>), the value of an
    /// <c>Authorization</c> header or a bearer/basic token, well-known token shapes, and the known secret values.
    /// </summary>
    public static string Scrub(string text, IReadOnlyCollection<string> secrets)
    {
        var scrubbed = UntrustedText.StripHidden(text);
        foreach (var secret in secrets.Where(s => s.Length >= 8))
        {
            scrubbed = scrubbed.Replace(secret, Redacted, StringComparison.Ordinal);
        }

        scrubbed = UrlUserInfo().Replace(scrubbed, m => $"{m.Groups["scheme"].Value}{Redacted}@");
        scrubbed = SchemeToken().Replace(scrubbed, m => $"{m.Groups["name"].Value}{Redacted}");
        scrubbed = NamedValue().Replace(scrubbed, m => $"{m.Groups["name"].Value}{Redacted}");
        return KnownTokenShape().Replace(scrubbed, Redacted);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    // scheme://anything-but-slash-or-space@ : whatever sits before the @ of an authority is a credential or a name.
    [GeneratedRegex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.\-]*://)[^/\s@]+@")]
    private static partial Regex UrlUserInfo();

    // "Bearer abc…", "Basic abc…": an HTTP authorization scheme and its credential.
    [GeneratedRegex(@"(?<name>\b(?:bearer|basic)\s+)[A-Za-z0-9\-._~+/=]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex SchemeToken();

    // password=…, "token": "…", api_key: … — a name that says secret, then a value.
    [GeneratedRegex(@"(?<name>\b(?:authorization|extraheader|token|password|passwd|api[_-]?key|secret|credential)s?[""']?\s*[:=]\s*[""']?(?:(?:bearer|basic)\s+)?)(?!(?:bearer|basic)\s)[^\s""',;]{4,}", RegexOptions.IgnoreCase)]
    private static partial Regex NamedValue();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|sk-[A-Za-z0-9_\-]{20,}|AKIA[0-9A-Z]{16})\b")]
    private static partial Regex KnownTokenShape();
}
