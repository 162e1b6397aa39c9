using Orchestrator.Cli.Arguments;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator status &lt;id&gt;</c>: one feature, readable or as the API's raw JSON.</summary>
internal sealed class StatusCommand : ICommand
{
    private const string JsonOption = "--json";

    public CommandSpec Spec { get; } = new(
        "status",
        "Show a feature: state, model, tasks, pull request.",
        ["id"],
        [new(JsonOption, null, "Print the feature exactly as the API returns it.")]);

    public async Task<int> RunAsync(ParsedArguments args, CommandContext context)
    {
        var id = args.FeatureId();
        if (args.Flag(JsonOption))
        {
            var json = await context.Api.GetFeatureJsonAsync(id, context.CancellationToken);
            await context.Stdout.WriteLineAsync(json.TrimEnd());
            return ExitCodes.Success;
        }

        var feature = await context.Api.GetFeatureAsync(id, context.CancellationToken);
        foreach (var line in StatusFormatter.Format(feature))
        {
            await context.Stdout.WriteLineAsync(line);
        }

        return ExitCodes.Success;
    }
}
