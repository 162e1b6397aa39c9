namespace Orchestrator.Integration;

/// <summary>
/// Configuration section <c>Integration</c>: the webhooks told when a feature ends, and how hard each delivery is tried.
/// </summary>
public sealed class IntegrationOptions
{
    public const string Section = "Integration";

    /// <summary>The webhooks by name (<c>Integration:Webhooks:&lt;name&gt;:Url</c> and <c>…:Secret</c>); only names are logged.</summary>
    public Dictionary<string, WebhookTarget> Webhooks { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public WebhookDeliveryOptions WebhookDelivery { get; set; } = new();
}

/// <summary>One receiver of the feature-ended notifications.</summary>
public sealed class WebhookTarget
{
    /// <summary>Where the notification is POSTed: an absolute http(s) URL. It may carry a token in its query, so it is never logged.</summary>
    public string? Url { get; set; }

    /// <summary>The key of the body's HMAC-SHA256 signature, shared with the receiver. A secret: never logged.</summary>
    public string? Secret { get; set; }

    // Bound options can end up in a log line or an exception: neither part is printed.
    public override string ToString() => "(webhook: url and secret not shown)";
}

/// <summary>
/// <c>Integration:WebhookDelivery</c>: a delivery answered by 408, 429 or 5xx, refused on the network, or unanswered
/// within <see cref="AttemptTimeout"/> is tried again, at most <see cref="MaxRetries"/> times, with exponential backoff
/// and jitter between <see cref="RetryBaseDelay"/> and <see cref="RetryMaxDelay"/>. With the defaults a receiver that
/// never answers holds a delivery for at most about 2.5 minutes (5 × 10 s plus the waits).
/// </summary>
public sealed class WebhookDeliveryOptions
{
    public int MaxRetries { get; set; } = 4;

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}
