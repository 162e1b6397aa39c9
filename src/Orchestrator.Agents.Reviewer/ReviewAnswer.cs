using System.Text.Json;
using Orchestrator.Contracts;

namespace Orchestrator.Agents.Reviewer;

/// <summary>
/// Reads the Reviewer's answer: ONE JSON object
/// <c>{"verdict": "approve"|"request-changes", "summary": "...", "findings": [{"file", "line", "severity", "message"}]}</c>.
/// A code fence or text around the object is tolerated; anything else that is not that shape is an error the model is
/// told about once. What the model wrote is bounded here, before it travels.
/// </summary>
public static class ReviewAnswer
{
    public const int MaxFindings = 50;
    private const int MaxSummaryLength = 4_000;
    private const int MaxMessageLength = 1_000;
    private const int MaxPathLength = 300;

    /// <summary>The review, or null and what is wrong with the answer.</summary>
    public static ReviewReport? Parse(string answer, out string problem)
    {
        problem = string.Empty;
        var start = answer.IndexOf('{');
        var end = answer.LastIndexOf('}');
        if (start < 0 || end < start)
        {
            problem = "the answer holds no JSON object";
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(answer[start..(end + 1)]);
            return Read(document.RootElement, out problem);
        }
        catch (JsonException ex)
        {
            problem = $"the answer is not valid JSON ({ex.Message})";
            return null;
        }
    }

    private static ReviewReport? Read(JsonElement root, out string problem)
    {
        problem = string.Empty;
        var verdict = Text(root, "verdict") switch
        {
            "approve" => ReviewVerdict.Approve,
            "request-changes" => (ReviewVerdict?)ReviewVerdict.RequestChanges,
            _ => null,
        };
        if (verdict is null)
        {
            problem = "\"verdict\" must be \"approve\" or \"request-changes\"";
            return null;
        }

        if (Text(root, "summary") is not { Length: > 0 } summary)
        {
            problem = "\"summary\" must be a non-empty string";
            return null;
        }

        if (!root.TryGetProperty("findings", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            problem = "\"findings\" must be an array (empty when there is nothing to say)";
            return null;
        }

        var findings = new List<ReviewFinding>();
        foreach (var (item, index) in list.EnumerateArray().Take(MaxFindings).Select((item, index) => (item, index)))
        {
            if (Finding(item) is not { } finding)
            {
                problem = $"finding {index + 1} must have \"file\", \"severity\" (\"must-fix\" or \"suggestion\"), \"message\" and a positive or null \"line\"";
                return null;
            }

            findings.Add(finding);
        }

        if (verdict == ReviewVerdict.RequestChanges && !findings.Exists(f => f.Severity == ReviewSeverity.MustFix))
        {
            problem = "\"request-changes\" needs at least one \"must-fix\" finding";
            return null;
        }

        return new ReviewReport(verdict.Value, Bounded(summary, MaxSummaryLength), findings);
    }

    private static ReviewFinding? Finding(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object
            || Text(item, "file") is not { Length: > 0 } file
            || Text(item, "message") is not { Length: > 0 } message)
        {
            return null;
        }

        ReviewSeverity? severity = Text(item, "severity") switch
        {
            "must-fix" => ReviewSeverity.MustFix,
            "suggestion" => ReviewSeverity.Suggestion,
            _ => null,
        };
        int? line = null;
        if (item.TryGetProperty("line", out var value) && value.ValueKind != JsonValueKind.Null)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < 1)
            {
                return null;
            }

            line = number;
        }

        return severity is null ? null : new ReviewFinding(Bounded(file, MaxPathLength), line, severity.Value, Bounded(message, MaxMessageLength));
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!.Trim()
            : null;

    private static string Bounded(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
