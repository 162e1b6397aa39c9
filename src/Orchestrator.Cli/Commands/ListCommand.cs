using Orchestrator.Cli.Arguments;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator list</c>: every feature the API knows, one line each.</summary>
internal sealed class ListCommand : ICommand
{
    public CommandSpec Spec { get; } = new("list", "List features: id, state, title or request.", [], []);

    public async Task<int> RunAsync(ParsedArguments args, CommandContext context)
    {
        var features = await context.Api.ListFeaturesAsync(context.CancellationToken);
        foreach (var line in FeatureListFormatter.Format(features))
        {
            await context.Stdout.WriteLineAsync(line);
        }

        return ExitCodes.Success;
    }
}
