namespace Orchestrator.Cli.Api;

/// <summary>Outcome of the build/test run on the consolidated branch.</summary>
internal sealed record Verification(bool Passed, string? Command, string? Summary)
{
    /// <summary>False when the base branch names no build or test command; absent from older servers, which always ran one.</summary>
    public bool Ran { get; init; } = true;

    public int? ExitCode { get; init; }

    public bool Sandboxed { get; init; } = true;
}
