using System.CommandLine;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator list</c>: every feature the API knows, as a table in a terminal, else one line each.</summary>
internal sealed class ListCommand : ApiCommand
{
    private readonly OutputFormatOptions _format = new("Print the features exactly as the API returns them (a JSON array).");

    public ListCommand(ApiConnection connection)
        : base("list", "List features: a table (id, state, repository, submitted, pull request) in a terminal, else lines.", connection)
    {
        _format.AddTo(this);
    }

    protected override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var format = _format.Read(parseResult, context.Terminal);
        if (format == OutputFormat.Json)
        {
            await context.Stdout.WriteLineAsync(await context.Api.ListFeaturesJsonAsync(context.CancellationToken));
            return ExitCodes.Success;
        }

        var features = await context.Api.ListFeaturesAsync(context.CancellationToken);
        if (format == OutputFormat.Table && features.Count > 0 && context.Terminal is { } terminal)
        {
            terminal.Write(FeatureListTable.Build(features, context.Settings.Time.LocalTimeZone));
            return ExitCodes.Success;
        }

        foreach (var line in FeatureListFormatter.Format(features))
        {
            await context.Stdout.WriteLineAsync(line);
        }

        return ExitCodes.Success;
    }
}
