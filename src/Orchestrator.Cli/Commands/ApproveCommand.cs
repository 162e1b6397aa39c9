using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Cli.Api;
using Orchestrator.Cli.CommandLine;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator approve &lt;id&gt;</c>: approves a feature waiting for approval — its plan (optionally an edited one
/// from a file), or a larger token budget.
/// </summary>
internal sealed class ApproveCommand : ApiCommand
{
    private readonly FeatureIdArgument _id = new();

    private readonly ValueOption<string> _plan = TextOption.Optional(
        "--plan", "file.json", "Approve this edited plan instead of the planner's (JSON: title, summary, interface, tasks).");

    private readonly ValueOption<long?> _tokenBudget = TokenBudgetOption.Create(
        "A new token budget; required when the feature waits for a larger one.");

    private readonly FlagOption _json = new("--json", "Print the API's answer (the feature) exactly as it returns it.");

    public ApproveCommand(ApiConnection connection)
        : base("approve", "Approve a feature's plan (or a larger budget) so its work starts.", connection)
    {
        HelpDetails = "A feature submitted with --approve-plan waits in AwaitingApproval after planning; 'orchestrator status <id> --json'\n"
            + "shows its plan. The --plan file has the planner's shape: {\"title\", \"summary\", \"interface\", \"tasks\": [{\"id\",\n"
            + "\"role\" (coder, tester, docs or a configured role), \"title\", \"instructions\", \"dependsOn\": [ids]}]}; the server checks it like the planner's\n"
            + "and refuses an invalid one, changing nothing. A feature that ran out of tokens waits in AwaitingBudget (with\n"
            + "Features:ApproveBudgetIncrease): approve it with --token-budget, more than it has spent.";
        Arguments.Add(_id);
        Options.Add(_plan);
        Options.Add(_tokenBudget);
        Options.Add(_json);
    }

    protected override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var featureId = parseResult.GetRequiredValue(_id);
        JsonNode? plan = null;
        if (parseResult.GetValue(_plan) is { Length: > 0 } path)
        {
            (plan, var problem) = await ReadPlanAsync(path, context.CancellationToken);
            if (problem is not null)
            {
                await context.Stderr.WriteLineAsync($"error: {Text.OneLine(problem)}");
                return ExitCodes.Error;
            }
        }

        var approval = new ApproveFeatureRequest(plan, parseResult.GetValue(_tokenBudget));
        if (parseResult.GetValue(_json))
        {
            await context.Stdout.WriteLineAsync(await context.Api.ApproveJsonAsync(featureId, approval, context.CancellationToken));
            return ExitCodes.Success;
        }

        var feature = await context.Api.ApproveAsync(featureId, approval, context.CancellationToken);

        // Approval is asynchronous like cancel: the answer still shows the waiting state.
        await context.Stdout.WriteLineAsync($"approval sent for feature {featureId} (state {feature.State})");
        await context.Stdout.WriteLineAsync($"follow it with: orchestrator watch {featureId}");
        return ExitCodes.Success;
    }

    /// <summary>The plan in the file as JSON, or why it cannot be sent; the server judges what is in it.</summary>
    private static async Task<(JsonNode? Plan, string? Problem)> ReadPlanAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read the plan file '{path}': {e.Message}");
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject plan
                ? (plan, null)
                : (null, $"the plan file '{path}' must hold one JSON object (title, summary, interface, tasks)");
        }
        catch (JsonException e)
        {
            return (null, $"the plan file '{path}' is not valid JSON: {e.Message}");
        }
    }
}
