namespace Orchestrator.Cli.Api;

/// <summary>Tokens spent by model calls.</summary>
internal sealed record TokenUsage(long InputTokens, long OutputTokens, int Calls);
