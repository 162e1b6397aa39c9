namespace Orchestrator.Cli.Api;

/// <summary>The pull request a completed feature opened.</summary>
internal sealed record PullRequest(int Number, string? Url, string? Head, string? Base, string? Repository, string? Forge);
