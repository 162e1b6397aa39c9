using System.Text.Json;
using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Output;

/// <summary>
/// The one-line machine-readable result of <c>--summary-json</c> (and the last line of <c>watch --json</c>), written by
/// hand so its shape is fixed here and not by whatever the API added to Feature.
/// </summary>
internal static class SummaryJson
{
    /// <param name="type">
    /// Set by <c>--json</c>, whose stream mixes kinds of objects (<c>"summary"</c>); <c>--summary-json</c>'s line has
    /// never had one, and scripts compare it whole.
    /// </param>
    public static string Write(Feature feature, string? type = null) => JsonLine.Write(json =>
    {
        if (type is not null)
        {
            json.WriteString("type", type);
        }

        json.WriteString("feature", feature.Id);
        json.WriteString("state", feature.State);
        WriteTasks(json, feature.Tasks);

        if (feature.PullRequest is { } pullRequest)
        {
            json.WriteStartObject("pullRequest");
            json.WriteString("url", pullRequest.Url);
            json.WriteString("head", pullRequest.Head);
            json.WriteString("base", pullRequest.Base);
            json.WriteString("repository", pullRequest.Repository);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("pullRequest");
        }

        if (!string.IsNullOrWhiteSpace(feature.FailureReason))
        {
            json.WriteString("failureReason", feature.FailureReason);
        }
    });

    private static void WriteTasks(Utf8JsonWriter json, IReadOnlyList<FeatureTask> tasks)
    {
        json.WriteStartArray("tasks");
        foreach (var task in tasks)
        {
            json.WriteStartObject();
            json.WriteString("id", task.Id);
            json.WriteString("role", task.Role);
            json.WriteString("state", task.State);
            json.WriteString("branch", task.Branch);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
