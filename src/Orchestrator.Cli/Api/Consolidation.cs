namespace Orchestrator.Cli.Api;

/// <summary>A consolidation round: how often it was sent, which merge instance works on it, when it was last heard from.</summary>
internal sealed record Consolidation
{
    public int Attempts { get; init; }

    public string? Instance { get; init; }

    public DateTimeOffset? LastSeen { get; init; }
}
