namespace Orchestrator.Cli.Api;

/// <summary>
/// One step of a task's transcript as the API serves it (<c>GET /features/{id}/tasks/{task}/log</c>), with the task it
/// belongs to: a model turn (<c>model</c>) or a tool call (<c>tool</c>).
/// </summary>
internal sealed record TaskLogEntry
{
    public string TaskId { get; init; } = "";

    public int Attempt { get; init; }

    public int Sequence { get; init; }

    public DateTimeOffset At { get; init; }

    public string Kind { get; init; } = "";

    public string Name { get; init; } = "";

    public string Summary { get; init; } = "";

    public string? Result { get; init; }

    public bool Ok { get; init; }

    public long DurationMs { get; init; }

    public long? InputTokens { get; init; }

    public long? OutputTokens { get; init; }
}

/// <summary>The body of <c>GET /features/{id}/tasks/{task}/log</c>.</summary>
internal sealed record TaskLog(string FeatureId, string TaskId, IReadOnlyList<TaskLogEntry> Entries);
