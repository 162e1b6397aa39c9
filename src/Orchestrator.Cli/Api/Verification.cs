namespace Orchestrator.Cli.Api;

/// <summary>Outcome of the build/test run on the consolidated branch.</summary>
internal sealed record Verification(bool Passed, string? Command, string? Summary);
