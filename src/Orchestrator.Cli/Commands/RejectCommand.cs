using System.CommandLine;
using Orchestrator.Cli.CommandLine;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator reject &lt;id&gt;</c>: rejects the plan (or the larger budget) a feature waits for; it ends Failed.</summary>
internal sealed class RejectCommand : ApiCommand
{
    private readonly FeatureIdArgument _id = new();
    private readonly ValueOption<string> _reason = TextOption.Optional("--reason", "text", "Why; the feature's failure reason says it.");
    private readonly FlagOption _json = new("--json", "Print the API's answer (the feature) exactly as it returns it.");

    public RejectCommand(ApiConnection connection)
        : base("reject", "Reject a feature's plan (or a larger budget); the feature fails with the reason.", connection)
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
            await context.Stdout.WriteLineAsync(await context.Api.RejectJsonAsync(featureId, reason, context.CancellationToken));
            return ExitCodes.Success;
        }

        var feature = await context.Api.RejectAsync(featureId, reason, context.CancellationToken);
        await context.Stdout.WriteLineAsync($"rejection sent for feature {featureId} (state {feature.State}); it ends Failed");
        return ExitCodes.Success;
    }
}
