using System.CommandLine;
using Orchestrator.Cli.CommandLine;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator status &lt;id&gt;</c>: one feature, readable or as the API's raw JSON.</summary>
internal sealed class StatusCommand : ApiCommand
{
    private readonly FeatureIdArgument _id = new();
    private readonly FlagOption _json = new("--json", "Print the feature exactly as the API returns it.");

    public StatusCommand(ApiConnection connection)
        : base("status", "Show a feature: state, model, tasks, pull request.", connection)
    {
        Arguments.Add(_id);
        Options.Add(_json);
    }

    protected override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var featureId = parseResult.GetRequiredValue(_id);
        if (parseResult.GetValue(_json))
        {
            var body = await context.Api.GetFeatureJsonAsync(featureId, context.CancellationToken);
            await context.Stdout.WriteLineAsync(body.TrimEnd());
            return ExitCodes.Success;
        }

        var feature = await context.Api.GetFeatureAsync(featureId, context.CancellationToken);
        foreach (var line in StatusFormatter.Format(feature))
        {
            await context.Stdout.WriteLineAsync(line);
        }

        return ExitCodes.Success;
    }
}
