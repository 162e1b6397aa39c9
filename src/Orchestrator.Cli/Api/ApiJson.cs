using System.Text.Json;

namespace Orchestrator.Cli.Api;

/// <summary>JSON settings shared by requests and responses: camelCase, case-insensitive, unknown fields ignored.</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
