using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Llm.Context;

namespace Orchestrator.Llm.Devices;

/// <summary>
/// Decides whether a replayed request is the recorded one. Compared, message by message: the role; the text (system,
/// user, assistant); the assistant's tool calls (name and arguments, not the call ids, which the endpoint makes up);
/// the tool results; and the set of tools offered. Before comparing, volatile parts are normalised away: GUIDs (the
/// feature id is in task branch names), paths under the temp folder (workspaces, clones), timestamps and durations,
/// line endings. The results of <c>workspace_run_build</c>, <c>workspace_run_tests</c> and <c>workspace_run_command</c>
/// are compared by their first line only (the command and its exit code): command output varies with caches and timing;
/// so is the budget notice by its prefix, and a compaction request by its prompt.
/// </summary>
public static partial class CassetteMatcher
{
    private static readonly HashSet<string> CommandTools = new(StringComparer.Ordinal) { "workspace_run_build", "workspace_run_tests", "workspace_run_command" };

    /// <summary>Null when the requests match, else the first difference in a sentence.</summary>
    public static string? FirstDifference(CassetteRequest recorded, CassetteRequest actual)
    {
        var expected = Signatures(recorded);
        var got = Signatures(actual);
        for (var i = 0; i < Math.Min(expected.Count, got.Count); i++)
        {
            if (!string.Equals(expected[i], got[i], StringComparison.Ordinal))
            {
                return $"message {i + 1} of {got.Count}: recorded {Shorten(expected[i])}, replayed {Shorten(got[i])}";
            }
        }

        if (expected.Count != got.Count)
        {
            var extra = expected.Count > got.Count
                ? $"recorded {Shorten(expected[got.Count])} is missing"
                : $"replayed {Shorten(got[expected.Count])} was not recorded";
            return $"the recording has {expected.Count} messages, the replayed request {got.Count}: message {Math.Min(expected.Count, got.Count) + 1}: {extra}";
        }

        var offered = recorded.Tools.Order(StringComparer.Ordinal).ToList();
        var offering = actual.Tools.Order(StringComparer.Ordinal).ToList();
        return offered.SequenceEqual(offering, StringComparer.Ordinal)
            ? null
            : $"tools offered: recorded [{string.Join(", ", offered)}], replayed [{string.Join(", ", offering)}]";
    }

    /// <summary>Replaces what changes from run to run (ids, temp paths, times) by placeholders.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var result = text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        var temp = Path.GetTempPath().TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (temp.Length > 1)
        {
            result = Regex.Replace(result, Regex.Escape(temp) + @"[^\s""'`]*", "<temp>");
        }

        result = TmpPath().Replace(result, "<temp>");
        result = Guid().Replace(result, "<id>");
        result = Timestamp().Replace(result, "<time>");
        result = Clock().Replace(result, "<duration>");
        result = Duration().Replace(result, "<duration>");
        return result;
    }

    private static List<string> Signatures(CassetteRequest request)
    {
        var tools = new Dictionary<string, string>(StringComparer.Ordinal);
        var signatures = new List<string>(request.Messages.Count);
        // A compaction request renders tool results (build output varies): it is compared by its prompt alone.
        var compaction = request.Messages.FirstOrDefault()?.Text == CompactionModel.SystemPrompt;
        foreach (var message in request.Messages)
        {
            var text = new StringBuilder(message.Role).Append(": ");
            if (message.Text is not null)
            {
                text.Append('"').Append(ComparedText(message, compaction)).Append('"');
            }

            foreach (var call in message.ToolCalls ?? [])
            {
                tools[call.Id] = call.Name;
                text.Append(" call ").Append(call.Name).Append(Normalize(Canonical(call.Arguments)));
            }

            foreach (var result in message.ToolResults ?? [])
            {
                var output = Normalize(result.Result);
                if (tools.TryGetValue(result.CallId, out var tool) && CommandTools.Contains(tool))
                {
                    output = output.Split('\n', 2)[0];
                }

                text.Append(" result \"").Append(output).Append('"');
            }

            signatures.Add(text.ToString());
        }

        return signatures;
    }

    // The budget notice's figures follow the usage of run-dependent output; what is compared is that a notice was there.
    private static string ComparedText(CassetteMessage message, bool compaction) => message switch
    {
        { Role: "user", Text: { } text } when text.StartsWith(BudgetNoticeChatClient.Prefix, StringComparison.Ordinal) => BudgetNoticeChatClient.Prefix,
        { Role: "user" } when compaction => "<the compacted turns>",
        _ => Normalize(message.Text),
    };

    // Arguments as compact JSON with the properties in order, so formatting and property order do not matter.
    private static string Canonical(JsonElement? arguments)
    {
        if (arguments is not { } element)
        {
            return "(invalid arguments)";
        }

        return "(" + JsonSerializer.Serialize(Sorted(element)) + ")";
    }

    private static object? Sorted(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new SortedDictionary<string, object?>(
            element.EnumerateObject().ToDictionary(p => p.Name, p => Sorted(p.Value)), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(Sorted).ToList(),
        _ => element,
    };

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    [GeneratedRegex(@"(?<![\w.])/tmp/[^\s""'`]*")]
    private static partial Regex TmpPath();

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\b")]
    private static partial Regex Guid();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b")]
    private static partial Regex Clock();

    [GeneratedRegex(@"\b\d+(?:[.,]\d+)?\s?(?:ms|s|sec|secs|seconds|m|min|mins|minutes)\b")]
    private static partial Regex Duration();
}
