using Microsoft.Extensions.Options;
using Orchestrator.Contracts;

namespace Orchestrator.Api.Features;

/// <summary>Configuration section <c>Pricing</c>: what a million tokens cost, per model label (e.g. <c>openai:gpt-4o-mini</c>).</summary>
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
        // Labels may carry a note after the model: "scripted:demo (scripted demo model, not an AI)".
        var model = modelLabel.Split(" (", 2)[0];
        return options.Value.Models.TryGetValue(model, out var price)
            ? decimal.Round((usage.InputTokens * price.InputPerMillion + usage.OutputTokens * price.OutputPerMillion) / 1_000_000m, 6)
            : null;
    }
}
