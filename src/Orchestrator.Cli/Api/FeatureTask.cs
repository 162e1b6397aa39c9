namespace Orchestrator.Cli.Api;

/// <summary>One task of a feature's plan, carried out by one agent role.</summary>
internal sealed record FeatureTask
{
    public string Id { get; init; } = "";

    public string Role { get; init; } = "";

    public string? Title { get; init; }

    public string State { get; init; } = "";

    public string? Branch { get; init; }

    public string? Commit { get; init; }

    public int Attempts { get; init; }

    public IReadOnlyList<string> DependsOn { get; init => field = value ?? []; } = [];

    public string? Summary { get; init; }

    public string? FailureReason { get; init; }

    public TokenUsage? Usage { get; init; }

    /// <summary>When the current attempt started and when the task finished; absent from older servers.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The agent instance running the task (<c>coder@&lt;machine&gt;/&lt;pid&gt;</c>); absent while queued and from older servers.</summary>
    public string? Instance { get; init; }

    /// <summary>When the orchestrator last heard from <see cref="Instance"/>.</summary>
    public DateTimeOffset? LastSeen { get; init; }

    /// <summary>Why each earlier attempt failed, oldest first (<c>attempt 1: lost: no heartbeat ...</c>).</summary>
    public IReadOnlyList<string> EarlierFailures { get; init => field = value ?? []; } = [];
}
