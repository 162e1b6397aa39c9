using System.CommandLine;
using Orchestrator.Cli.CommandLine;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator cancel &lt;id&gt;</c>: asks the API to stop a feature.</summary>
internal sealed class CancelCommand : ApiCommand
{
    private readonly FeatureIdArgument _id = new();
    private readonly ValueOption<string> _reason = TextOption.Optional("--reason", "text", "Why; recorded on the feature.");
    private readonly FlagOption _json = new("--json", "Print the API's answer (the feature) exactly as it returns it.");

    public CancelCommand(ApiConnection connection)
        : base("cancel", "Cancel a feature that has not finished.", connection)
    {
        Arguments.Add(_id);
        Options.Add(_reason);
        Options.Add(_json);
    }

    protected override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var featureId = parseResult.GetRequiredValue(_id);
        var reason = parseResult.GetValue(_reason);
        if (parseResult.GetValue(_json))
        {
            await context.Stdout.WriteLineAsync(await context.Api.CancelJsonAsync(featureId, reason, context.CancellationToken));
            return ExitCodes.Success;
        }

        var feature = await context.Api.CancelAsync(featureId, reason, context.CancellationToken);

        // Cancellation is asynchronous: the answer is usually still the old state, so say "requested".
        await context.Stdout.WriteLineAsync($"cancel requested for feature {featureId} (state {feature.State})");
        return ExitCodes.Success;
    }
}
