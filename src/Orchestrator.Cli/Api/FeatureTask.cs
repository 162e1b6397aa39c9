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
}
