using Orchestrator.Cli.Arguments;

namespace Orchestrator.Cli.Commands;

/// <summary>A subcommand: its accepted arguments and what it does with them.</summary>
internal interface ICommand
{
    CommandSpec Spec { get; }

    /// <summary>Returns the exit code; throws <see cref="UsageException"/> or an API exception for the caller to report.</summary>
    Task<int> RunAsync(ParsedArguments args, CommandContext context);
}
