using System.CommandLine;
using Orchestrator.Cli.Api;
using Orchestrator.Cli.CommandLine;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator status &lt;id&gt;</c>: one feature as lines (always: scripts grep them) or as the API's raw JSON.
/// <c>show</c> is the same in a table when stdout is a terminal.
/// </summary>
internal sealed class StatusCommand : ApiCommand
{
    private readonly FeatureIdArgument _id = new();
    private readonly FlagOption _json = new("--json", "Print the feature exactly as the API returns it.");

    public StatusCommand(ApiConnection connection)
        : base("status", "Show a feature as lines: state, model, tasks, pull request.", connection)
    {
        Arguments.Add(_id);
        Options.Add(_json);
    }

    /// <summary>The API's body unchanged: <c>status --json</c> and <c>show --json</c>.</summary>
    public static async Task<int> WriteJsonAsync(CommandContext context, string featureId)
    {
        await context.Stdout.WriteLineAsync(await context.Api.GetFeatureJsonAsync(featureId, context.CancellationToken));
        return ExitCodes.Success;
    }

    public static async Task<int> WriteLinesAsync(CommandContext context, Feature feature)
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
