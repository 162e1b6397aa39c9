using Microsoft.Extensions.Options;
using Orchestrator.Contracts;

namespace Orchestrator.Features;

/// <summary>
/// Configuration section <c>Pricing</c>: what a million tokens cost, per model name (e.g. <c>gpt-4o-mini</c> for the
/// label <c>openai:gpt-4o-mini</c>; configuration keys cannot hold the label's colon).
/// </summary>
public sealed class PricingOptions
{
    public const string Section = "Pricing";

    public string Currency { get; set; } = "USD";

    public Dictionary<string, ModelPrice> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class ModelPrice
{
    public decimal InputPerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }
}

/// <summary>The cost of token usage, where the model has a configured price; none is invented.</summary>
public sealed class PriceTable(IOptions<PricingOptions> options)
{
    public string Currency => options.Value.Currency;

    public decimal? CostOf(string modelLabel, TokenUsage usage)
    {
        // Labels are "provider:model", maybe with a note: "scripted:demo (scripted demo model, not an AI)".
        var label = modelLabel.Split(" (", 2)[0];
        var model = label[(label.IndexOf(':') + 1)..];
        return options.Value.Models.TryGetValue(model, out var price)
            ? decimal.Round((usage.InputTokens * price.InputPerMillion + usage.OutputTokens * price.OutputPerMillion) / 1_000_000m, 6)
            : null;
    }
}
