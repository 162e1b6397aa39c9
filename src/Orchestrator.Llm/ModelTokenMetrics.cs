using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Orchestrator.Contracts;

namespace Orchestrator.Llm;

/// <summary>
/// The <c>orchestrator.tokens</c> counter: tokens each model call spent, by model and direction, on the
/// <c>Orchestrator</c> meter that ServiceDefaults exports (docs/architecture.md, Observability).
/// </summary>
public sealed class ModelTokenMetrics
{
    public const string MeterName = "Orchestrator";
    public const string TokensName = "orchestrator.tokens";

    private readonly Counter<long> _tokens;

    public ModelTokenMetrics(IMeterFactory meters)
    {
        _tokens = meters.Create(MeterName).CreateCounter<long>(
            TokensName, unit: "{token}", description: "Tokens spent by model calls, by model and direction (input or output).");
    }

    /// <summary>
    /// The model as the tag names it: the selection's label without its explanation, e.g. <c>openai:gpt-4o-mini</c>,
    /// <c>scripted:demo-power</c>, <c>replay:demo</c> — a played model is never counted as a live one.
    /// </summary>
    public static string ModelTag(ModelSelection model) => model.Description.Split(' ', 2)[0];

    /// <summary>Counts one call's usage; a call that reported none counts nothing.</summary>
    public void Record(string model, UsageDetails? usage)
    {
        if (usage?.InputTokenCount is > 0 and var input)
        {
            _tokens.Add(input, new("model", model), new("direction", "input"));
        }

        if (usage?.OutputTokenCount is > 0 and var output)
        {
            _tokens.Add(output, new("model", model), new("direction", "output"));
        }
    }
}
