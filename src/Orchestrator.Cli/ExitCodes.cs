namespace Orchestrator.Cli;

/// <summary>Process exit codes; scripts and the benchmark harness branch on these.</summary>
public static class ExitCodes
{
    /// <summary>The command worked; for watch: the feature completed with a pull request.</summary>
    public const int Success = 0;

    /// <summary>The watched feature failed (or completed without a pull request).</summary>
    public const int FeatureFailed = 1;

    /// <summary>The watched feature was cancelled.</summary>
    public const int FeatureCancelled = 2;

    /// <summary>Usage error, API error, unreachable API or watch timeout.</summary>
    public const int Error = 3;

    /// <summary>Ctrl+C, following the shell convention of 128 + SIGINT.</summary>
    public const int Interrupted = 130;
}
