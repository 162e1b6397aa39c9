using System.Text.Json;

namespace Orchestrator.Bench.Agents;

/// <summary>What the system reports of an ended feature (<c>GET /features/{id}</c>), as the scores need it.</summary>
public sealed record FeatureOutcome(
    string State,
    string Model,
    bool Scripted,
    string? FailureReason,
    long InputTokens,
    long OutputTokens,
    int ModelCalls,
    string? Cost,
    string? PullRequestHead,
    string? PullRequestRepository,
    string? PullRequestUrl,
    int VerificationFixRounds,
    int ReviewFixRounds)
{
    public const string VerificationFixPrefix = "fix-verification-";

    /// <summary>The Coder's task for a review round (<c>address-review-&lt;n&gt;</c>), by the agents' shared convention.</summary>
    public const string ReviewFixPrefix = "address-review-";

    public bool PullRequestOpened => PullRequestHead is not null;

    public static FeatureOutcome From(JsonElement feature)
    {
        var usage = feature.GetProperty("usage");
        var taskIds = feature.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString() ?? string.Empty).ToList();
        var pullRequest = feature.TryGetProperty("pullRequest", out var pr) && pr.ValueKind == JsonValueKind.Object ? pr : (JsonElement?)null;
        return new FeatureOutcome(
            feature.GetProperty("state").GetString() ?? "unknown",
            feature.GetProperty("model").GetString() ?? string.Empty,
            feature.GetProperty("scripted").GetBoolean(),
            Text(feature, "failureReason"),
            usage.GetProperty("inputTokens").GetInt64(),
            usage.GetProperty("outputTokens").GetInt64(),
            usage.GetProperty("calls").GetInt32(),
            Text(feature, "cost"),
            pullRequest is { } head ? Text(head, "head") : null,
            pullRequest is { } repository ? Text(repository, "repository") : null,
            pullRequest is { } url ? Text(url, "url") : null,
            taskIds.Count(id => id.StartsWith(VerificationFixPrefix, StringComparison.Ordinal)),
            taskIds.Count(id => id.StartsWith(ReviewFixPrefix, StringComparison.Ordinal)));
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
