namespace Orchestrator.Cli.Arguments;

/// <summary>The command line is wrong; the message says how, and <see cref="Command"/> picks the help to point to.</summary>
internal sealed class UsageException(string message, string? command = null) : Exception(message)
{
    public string? Command { get; } = command;
}
