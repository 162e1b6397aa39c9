namespace Orchestrator.Cli.Output;

/// <summary>How a command prints what it has to say.</summary>
internal enum OutputFormat
{
    /// <summary>Plain lines: whenever stdout is not a terminal, and with <c>--plain</c>.</summary>
    Lines,

    /// <summary>Spectre.Console tables (live for <c>watch</c>): stdout is an interactive terminal.</summary>
    Table,

    /// <summary><c>--json</c>: JSON on stdout, whatever stdout is.</summary>
    Json,
}
