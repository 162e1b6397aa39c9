using System.CommandLine;
using Orchestrator.Cli.Api;
using Orchestrator.Cli.CommandLine;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// A command that asks the API to end or turn back one feature, with an optional reason (<c>cancel</c>, <c>reject</c>):
/// the feature id, <c>--reason</c>, <c>--json</c> for the API's answer as it is, else one line saying what was sent.
/// </summary>
internal abstract class FeatureReasonCommand : ApiCommand
{
    private readonly FeatureIdArgument _id = new();
    private readonly ValueOption<string> _reason;
    private readonly FlagOption _json = new("--json", "Print the API's answer (the feature) exactly as it returns it.");

    protected FeatureReasonCommand(string name, string summary, string reasonDescription, ApiConnection connection)
        : base(name, summary, connection)
    {
        _reason = TextOption.Optional("--reason", "text", reasonDescription);
        Arguments.Add(_id);
        Options.Add(_reason);
        Options.Add(_json);
    }

    protected abstract Task<string> SendJsonAsync(OrchestratorApiClient api, string featureId, string? reason, CancellationToken cancellationToken);

    protected abstract Task<Feature> SendAsync(OrchestratorApiClient api, string featureId, string? reason, CancellationToken cancellationToken);

    /// <summary>The line printed once the API took the request; the state it answers with is usually still the old one.</summary>
    protected abstract string Sent(string featureId, Feature answer);

    protected override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var featureId = parseResult.GetRequiredValue(_id);
        var reason = parseResult.GetValue(_reason);
        if (parseResult.GetValue(_json))
        {
            await context.Stdout.WriteLineAsync(await SendJsonAsync(context.Api, featureId, reason, context.CancellationToken));
            return ExitCodes.Success;
        }

        var feature = await SendAsync(context.Api, featureId, reason, context.CancellationToken);
        await context.Stdout.WriteLineAsync(Sent(featureId, feature));
        return ExitCodes.Success;
    }
}
