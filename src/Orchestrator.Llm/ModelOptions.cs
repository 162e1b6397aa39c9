using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Llm;

/// <summary>Configuration section <c>Models</c>.</summary>
public sealed class ModelOptions : IValidatableObject
{
    public const string Section = "Models";

    /// <summary>
    /// Longest one request to the <c>llm</c> endpoint may take (until the whole answer is read; for a streamed answer,
    /// the longest pause between two pieces of it). A request that runs out is retried like a 503.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries of one request after a 429, 500, 502, 503, 504, a network error or a timeout; 0 turns retrying off.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry waits about this long (with jitter), each later one twice as long, unless the endpoint says Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait before a retry, also when the endpoint's Retry-After asks for more.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Most tool calls in a row that may fail (throw) before the agent loop gives up; tool errors the tools report as
    /// text ("Error: ...") do not count.
    /// </summary>
    [Range(1, 100)]
    public int MaxConsecutiveToolErrors { get; set; } = 5;

    /// <summary>
    /// The context window, in tokens, of a model no <see cref="ContextWindows"/> entry names. A conversation estimated
    /// above <see cref="CompactAt"/> of its model's window has its older turns compacted into a summary.
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int ContextWindow { get; set; } = 128_000;

    /// <summary>Context windows per model, by the model's label before any note in brackets (<c>openai:gpt-4o-mini</c>, <c>scripted:demo-power</c>).</summary>
    public List<ModelContextWindow> ContextWindows { get; set; } = [];

    /// <summary>The share of the context window a conversation may fill before its older turns are compacted.</summary>
    [Range(0.2, 0.95)]
    public double CompactAt { get; set; } = 0.75;

    /// <summary>The share of the context window the most recent turns keep, word for word, when a conversation is compacted.</summary>
    [Range(0.05, 0.5)]
    public double KeepRecent { get; set; } = 0.25;

    /// <summary>The context window of the model labelled <paramref name="description"/> (a <c>ModelSelection.Description</c>).</summary>
    public int ContextWindowOf(string description)
    {
        var label = ModelContextWindow.LabelOf(description);
        return ContextWindows.LastOrDefault(w => string.Equals(w.Model, label, StringComparison.OrdinalIgnoreCase))?.Tokens ?? ContextWindow;
    }

    // Data annotations do not look into list items: each context window entry is checked here.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < ContextWindows.Count; i++)
        {
            var entry = ContextWindows[i];
            if (string.IsNullOrWhiteSpace(entry.Model) || entry.Tokens is < 1_000 or > 10_000_000)
            {
                yield return new ValidationResult(
                    $"Models:ContextWindows:{i} needs a Model (a model label such as openai:gpt-4o-mini) and Tokens between 1000 and 10000000.",
                    [nameof(ContextWindows)]);
            }
        }
    }
}

/// <summary>One model's context window (<c>Models:ContextWindows:n:Model</c> and <c>:Tokens</c>).</summary>
public sealed class ModelContextWindow
{
    [Required]
    public string Model { get; set; } = string.Empty;

    [Range(1_000, 10_000_000)]
    public int Tokens { get; set; }

    /// <summary>A model's label without its note: <c>scripted:demo-power (scripted demo model, not an AI)</c> → <c>scripted:demo-power</c>.</summary>
    public static string LabelOf(string description)
    {
        var note = description.IndexOf(" (", StringComparison.Ordinal);
        return (note < 0 ? description : description[..note]).Trim();
    }
}
