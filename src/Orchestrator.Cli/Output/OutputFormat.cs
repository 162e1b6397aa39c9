namespace Orchestrator.Cli.Output;

/// <summary>How a command prints what it has to say.</summary>
internal enum OutputFormat
{
    /// <summary>Plain lines, for people and scripts alike.</summary>
    Lines,

    /// <summary><c>--json</c>: JSON on stdout, whatever stdout is.</summary>
    Json,
}
