using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Output;

/// <summary>
/// The objects of <c>submit --json</c> and <c>watch --json</c>, one per line, each with a <c>type</c>: <c>submitted</c>,
/// then a <c>change</c> per change, then the <c>summary</c> (<see cref="SummaryJson"/>).
/// </summary>
internal static class ProgressJson
{
    public const string SummaryType = "summary";

    public static string Submitted(string id, Uri? location, Feature feature) => JsonLine.Write(json =>
    {
        json.WriteString("type", "submitted");
        json.WriteString("id", id);
        json.WriteString("location", location?.ToString());
        JsonLine.WriteFeature(json, "feature", feature);
    });

    /// <param name="changes">What changed, worded as the line output words it; the whole feature follows.</param>
    public static string Change(DateTimeOffset at, IReadOnlyList<string> changes, Feature feature) => JsonLine.Write(json =>
    {
        json.WriteString("type", "change");
        json.WriteString("at", at);
        json.WriteStartArray("changes");
        foreach (var change in changes)
        {
            json.WriteStringValue(change);
        }

        json.WriteEndArray();
        JsonLine.WriteFeature(json, "feature", feature);
    });
}
