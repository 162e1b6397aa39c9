using System.Text.Json;
using Orchestrator.Contracts;

namespace Orchestrator.Integration;

/// <summary>
/// The body of a webhook delivery: which feature ended, how, and when. Receivers must ignore fields they do not know:
/// new ones may be added (docs/integration.md, "Versioning").
/// </summary>
/// <param name="Event"><c>feature.completed</c>, <c>feature.failed</c> or <c>feature.cancelled</c>, as in the event header.</param>
/// <param name="State"><c>Completed</c>, <c>Failed</c> or <c>Cancelled</c>, as <c>GET /features/{id}</c> says.</param>
/// <param name="Reason">Why it failed or was cancelled; null when it completed.</param>
/// <param name="PullRequest">The pull request of a completed feature; null otherwise.</param>
public sealed record FeatureEndedNotification(
    string Event,
    Guid FeatureId,
    string State,
    string? Reason,
    NotifiedPullRequest? PullRequest,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset EndedAt)
{
    public const string Completed = "feature.completed";
    public const string Failed = "feature.failed";
    public const string Cancelled = "feature.cancelled";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static FeatureEndedNotification From(FeatureCompleted completed, DateTimeOffset fallbackEnd) =>
        new(Completed, completed.FeatureId, "Completed", null, NotifiedPullRequest.From(completed.PullRequest),
            completed.SubmittedAt, completed.EndedAt ?? fallbackEnd);

    public static FeatureEndedNotification From(FeatureFailed failed, DateTimeOffset fallbackEnd) =>
        new(Failed, failed.FeatureId, "Failed", failed.Reason, null, failed.SubmittedAt, failed.EndedAt ?? fallbackEnd);

    public static FeatureEndedNotification From(FeatureCancelled cancelled, DateTimeOffset fallbackEnd) =>
        new(Cancelled, cancelled.FeatureId, "Cancelled", cancelled.Reason, null, cancelled.SubmittedAt, cancelled.EndedAt ?? fallbackEnd);

    /// <summary>The body as sent and signed: camelCase JSON, UTF-8.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);
}

/// <summary>The pull request of a completed feature, as a receiver needs it.</summary>
public sealed record NotifiedPullRequest(int Number, string Url, string Head, string Base, string Repository)
{
    public static NotifiedPullRequest From(PullRequestInfo pullRequest) =>
        new(pullRequest.Number, pullRequest.Url, pullRequest.Head, pullRequest.Base, pullRequest.Repository);
}
