using System.CommandLine;
using Orchestrator.Cli.Api;
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

    /// <summary>The API's body unchanged.</summary>
    private static async Task<int> WriteJsonAsync(CommandContext context, string featureId)
    {
        await context.Stdout.WriteLineAsync(await context.Api.GetFeatureJsonAsync(featureId, context.CancellationToken));
        return ExitCodes.Success;
    }

    private static async Task<int> WriteLinesAsync(CommandContext context, Feature feature)
    {
        foreach (var line in StatusFormatter.Format(feature))
        {
            await context.Stdout.WriteLineAsync(line);
        }

        return ExitCodes.Success;
    }

    protected override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var featureId = parseResult.GetRequiredValue(_id);
        return parseResult.GetValue(_json)
            ? await WriteJsonAsync(context, featureId)
            : await WriteLinesAsync(context, await context.Api.GetFeatureAsync(featureId, context.CancellationToken));
    }
}
