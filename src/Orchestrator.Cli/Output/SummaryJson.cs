using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Output;

/// <summary>
/// The one-line machine-readable result of <c>--summary-json</c>, written by hand with a
/// <see cref="Utf8JsonWriter"/> so its shape is fixed here and not by whatever the API added to Feature.
/// </summary>
internal static class SummaryJson
{
    public static string Write(Feature feature)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = false,
            // Keeps branch names and arrows readable for people who look at the line too; still valid JSON.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartObject();
            json.WriteString("feature", feature.Id);
            json.WriteString("state", feature.State);

            json.WriteStartArray("tasks");
            foreach (var task in feature.Tasks)
            {
                json.WriteStartObject();
                json.WriteString("id", task.Id);
                json.WriteString("role", task.Role);
                json.WriteString("state", task.State);
                json.WriteString("branch", task.Branch);
                json.WriteEndObject();
            }

            json.WriteEndArray();

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

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
