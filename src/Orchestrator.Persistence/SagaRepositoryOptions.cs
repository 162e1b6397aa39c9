using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Persistence;

/// <summary>What every saga document repository is given: where, how documents are written, and under which key.</summary>
public abstract class SagaRepositoryOptions
{
    /// <summary>The ADO.NET connection string of the store.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>How saga instances are written to the <c>data</c> column. Null means <see cref="CreateDefaultSerializerOptions"/>.</summary>
    public JsonSerializerOptions? SerializerOptions { get; set; }

    /// <summary>
    /// The <c>saga_type</c> key of this saga's rows. Defaults to the type's full name; set it to keep existing rows
    /// readable after the saga class is renamed or moved.
    /// </summary>
    public string? SagaTypeName { get; set; }

    /// <summary>
    /// The serializer settings used when none are given: web defaults (camelCase, case-insensitive reads, so a
    /// property's casing can change without losing data) and enums as strings (so renumbering an enum cannot
    /// silently change stored values).
    /// </summary>
    public static JsonSerializerOptions CreateDefaultSerializerOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
