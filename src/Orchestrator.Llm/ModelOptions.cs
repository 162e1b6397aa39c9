using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Llm;

/// <summary>Configuration section <c>Models</c>.</summary>
public sealed class ModelOptions
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
}
