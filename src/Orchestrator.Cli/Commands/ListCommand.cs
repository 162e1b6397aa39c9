using System.CommandLine;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator list</c>: every feature the API knows, one line each.</summary>
internal sealed class ListCommand(ApiConnection connection)
    : ApiCommand("list", "List features: id, state, title or request.", connection)
{
    protected override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var features = await context.Api.ListFeaturesAsync(context.CancellationToken);
        foreach (var line in FeatureListFormatter.Format(features))
        {
            await context.Stdout.WriteLineAsync(line);
        }

        return ExitCodes.Success;
    }
}
