namespace Orchestrator.Cli.Api;

/// <summary>A feature as the API reports it. Unknown JSON fields are ignored so newer servers keep working.</summary>
internal sealed record Feature
{
    public string Id { get; init; } = "";

    public string State { get; init; } = "";

    public string? Repository { get; init; }

    public string? BaseBranch { get; init; }

    public string? Request { get; init; }

    public string? Model { get; init; }

    public bool Scripted { get; init; }

    public string? Title { get; init; }

    public string? Summary { get; init; }

    public string? FailureReason { get; init; }

    public DateTimeOffset? SubmittedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    // A server that sends "tasks": null must not crash the printer, so null becomes empty.
    public IReadOnlyList<FeatureTask> Tasks { get; init => field = value ?? []; } = [];

    public TokenUsage? Usage { get; init; }

    public PullRequest? PullRequest { get; init; }

    public Verification? Verification { get; init; }

    public long? TokenBudget { get; init; }

    /// <summary>Until when a feature waiting for approval (of its plan or a larger budget) waits; null otherwise.</summary>
    public DateTimeOffset? ApprovalDeadline { get; init; }

    /// <summary>The current (or last) consolidation round; absent before the first and from older servers.</summary>
    public Consolidation? Consolidation { get; init; }
}
