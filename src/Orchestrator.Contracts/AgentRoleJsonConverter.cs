using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Contracts;

/// <summary>
/// Writes an <see cref="AgentRole"/> as its name. Reads a name in any letter case, and the numbers the role enum was
/// sent as before roles became configuration (0 coder, 1 tester, 2 docs), so messages and saved state of an older
/// version still read.
/// </summary>
public sealed class AgentRoleJsonConverter : JsonConverter<AgentRole>
{
    private static readonly AgentRole[] EnumOrder = [AgentRole.Coder, AgentRole.Tester, AgentRole.Docs];

    public override AgentRole Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetInt32(out var number) && number >= 0 && number < EnumOrder.Length
                ? EnumOrder[number]
                : throw new JsonException($"{reader.GetDouble()} is not a role: the numbered roles are 0 (coder), 1 (tester) and 2 (docs).");
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A role is a string; found {reader.TokenType}.");
        }

        return FromName(reader.GetString());
    }

    public override void Write(Utf8JsonWriter writer, AgentRole value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Name);

    public override AgentRole ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        FromName(reader.GetString());

    public override void WriteAsPropertyName(Utf8JsonWriter writer, AgentRole value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value.Name);

    private static AgentRole FromName(string? text) =>
        AgentRole.TryParse(text, out var role)
            ? role
            : throw new JsonException($"'{text}' is not a role name: 1-31 lower-case letters, digits or dashes, starting with a letter.");
}
