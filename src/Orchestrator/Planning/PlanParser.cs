using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Contracts;

namespace Orchestrator.Planning;

/// <summary>The plan a model wrote, as JSON; tolerant of code fences and text around the object.</summary>
public sealed record ParsedPlan(string? Title, string? Summary, string? Interface, IReadOnlyList<PlannedTask> Tasks);

public static class PlanParser
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Parses the plan or throws <see cref="FormatException"/> saying what is wrong.</summary>
    /// <param name="source">What the plan is, as the problems name it: the planner's reply, or a person's edit.</param>
    public static ParsedPlan Parse(string reply, string source = "the planner's reply")
    {
        var start = reply.IndexOf('{');
        var end = reply.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            throw new FormatException($"{source} contains no JSON object");
        }

        PlanDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<PlanDocument>(reply.AsSpan(start, end - start + 1), Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source} is not valid plan JSON: {ex.Message}");
        }

        if (document is null)
        {
            throw new FormatException($"{source} is an empty plan");
        }

        var tasks = (document.Tasks ?? []).Select(t => new PlannedTask(
            t.Id ?? string.Empty,
            ParseRole(t.Id, t.Role),
            t.Title?.Trim() ?? string.Empty,
            t.Instructions?.Trim() ?? string.Empty,
            t.DependsOn ?? [])
        {
            Files = [.. (t.Files ?? []).Select(f => UntrustedText.StripHidden(f ?? string.Empty).Trim())],
        }).ToList();
        return new ParsedPlan(document.Title?.Trim(), document.Summary?.Trim(), document.Interface?.Trim(), tasks);
    }

    // Any well-formed name: which roles exist is the validator's question (they are configuration).
    private static AgentRole ParseRole(string? taskId, string? role) =>
        AgentRole.TryParse(role, out var parsed)
            ? parsed
            : throw new FormatException($"task {PlanValidator.Quote(taskId)} has role {PlanValidator.Quote(role)}, which is not a role name");

    private sealed record PlanDocument(
        [property: JsonPropertyName("title")] string? Title,
        [property: JsonPropertyName("summary")] string? Summary,
        [property: JsonPropertyName("interface")] string? Interface,
        [property: JsonPropertyName("tasks")] List<TaskDocument>? Tasks);

    private sealed record TaskDocument(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("role")] string? Role,
        [property: JsonPropertyName("title")] string? Title,
        [property: JsonPropertyName("instructions")] string? Instructions,
        [property: JsonPropertyName("dependsOn")] List<string>? DependsOn,
        [property: JsonPropertyName("files")] List<string?>? Files);
}
