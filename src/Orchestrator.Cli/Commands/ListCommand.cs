using System.CommandLine;
using Orchestrator.Cli.CommandLine;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator list</c>: every feature the API knows, one line each.</summary>
internal sealed class ListCommand : ApiCommand
{
    private readonly FlagOption _json = new("--json", "Print the features exactly as the API returns them (a JSON array).");

    public ListCommand(ApiConnection connection)
        : base("list", "List features: id, state, title or request.", connection)
    {
        Options.Add(_json);
    }

    protected override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        if (parseResult.GetValue(_json))
        {
            await context.Stdout.WriteLineAsync(await context.Api.ListFeaturesJsonAsync(context.CancellationToken));
            return ExitCodes.Success;
        }

        var features = await context.Api.ListFeaturesAsync(context.CancellationToken);
        foreach (var line in FeatureListFormatter.Format(features))
        {
            await context.Stdout.WriteLineAsync(line);
        }

        return ExitCodes.Success;
    }
}
