using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Output;

/// <summary>One compact JSON object on one line: the unit of the CLI's machine-readable output.</summary>
internal static class JsonLine
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        // Keeps branch names and arrows readable for people who look at the line too; still valid JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(Action<Utf8JsonWriter> writeObjectBody)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            writeObjectBody(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The feature as the CLI understood it (the API's field names, camelCase), under <paramref name="name"/>.</summary>
    public static void WriteFeature(Utf8JsonWriter json, string name, Feature feature)
    {
        json.WritePropertyName(name);
        JsonSerializer.Serialize(json, feature, ApiJson.Options);
    }
}
