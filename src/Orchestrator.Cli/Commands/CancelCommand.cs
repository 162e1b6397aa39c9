using Orchestrator.Cli.Arguments;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator cancel &lt;id&gt;</c>: asks the API to stop a feature.</summary>
internal sealed class CancelCommand : ICommand
{
    private const string ReasonOption = "--reason";

    public CommandSpec Spec { get; } = new(
        "cancel",
        "Cancel a feature that has not finished.",
        ["id"],
        [new(ReasonOption, "text", "Why; recorded on the feature.")]);

    public async Task<int> RunAsync(ParsedArguments args, CommandContext context)
    {
        var id = args.FeatureId();
        var feature = await context.Api.CancelAsync(id, args.Value(ReasonOption), context.CancellationToken);

        // Cancellation is asynchronous: the answer is usually still the old state, so say "requested".
        await context.Stdout.WriteLineAsync($"cancel requested for feature {id} (state {feature.State})");
        return ExitCodes.Success;
    }
}
