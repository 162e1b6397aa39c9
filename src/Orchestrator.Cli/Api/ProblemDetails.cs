using System.Net;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Cli.Api;

/// <summary>An RFC 7807 problem the API answered with, or what could be made of a non-problem error body.</summary>
internal sealed record ProblemDetails(
    int Status,
    string? Title,
    string? Detail,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Errors)
{
    /// <summary>
    /// Reads an error body leniently: a body that is not a problem (HTML from a proxy, plain text) still gives
    /// the user the status and a glimpse of the text instead of a JSON exception.
    /// </summary>
    public static ProblemDetails Parse(HttpStatusCode status, string? reasonPhrase, string body)
    {
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                var root = document.RootElement;
                ReadErrors(root, errors);
                return new ProblemDetails(
                    (int)status,
                    ReadString(root, "title") ?? reasonPhrase,
                    ReadString(root, "detail"),
                    errors);
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through and show the raw text.
        }

        var text = body.Trim();
        return new ProblemDetails((int)status, reasonPhrase, text.Length == 0 ? null : Text.Truncate(text, 200), errors);
    }

    /// <summary>Title, status, detail and field errors on one line, because scripts read stderr line by line.</summary>
    public string ToOneLine()
    {
        var line = new StringBuilder();
        line.Append(string.IsNullOrWhiteSpace(Title) ? "Request failed" : Title.Trim());
        line.Append(" (HTTP ").Append(Status).Append(')');
        if (!string.IsNullOrWhiteSpace(Detail))
        {
            line.Append(": ").Append(Detail.Trim());
        }

        if (Errors.Count > 0)
        {
            line.Append(" [");
            line.Append(string.Join("; ", Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
            line.Append(']');
        }

        return Text.OneLine(line.ToString());
    }

    private static string? ReadString(JsonElement root, string name)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)
                && property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString();
            }
        }

        return null;
    }

    private static void ReadErrors(JsonElement root, Dictionary<string, IReadOnlyList<string>> errors)
    {
        if (!root.TryGetProperty("errors", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var field in element.EnumerateObject())
        {
            var messages = field.Value.ValueKind switch
            {
                JsonValueKind.Array => field.Value.EnumerateArray().Select(m => m.ToString()).ToList(),
                _ => [field.Value.ToString()],
            };
            errors[field.Name] = messages;
        }
    }
}
