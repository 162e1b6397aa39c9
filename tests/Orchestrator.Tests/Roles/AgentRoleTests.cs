using System.Text.Json;
using Orchestrator.Contracts;

namespace Orchestrator.Tests.Roles;

public sealed class AgentRoleTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData("ops")]
    [InlineData("release-notes")]
    [InlineData("a")]
    [InlineData("a234567890123456789012345678901")]
    public void A_lower_case_name_of_up_to_31_characters_starting_with_a_letter_is_a_role(string name)
    {
        Assert.Equal(name, new AgentRole(name).Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Ops")]
    [InlineData("1ops")]
    [InlineData("-ops")]
    [InlineData("ops_team")]
    [InlineData("ops\n")]
    [InlineData("a2345678901234567890123456789012")]
    public void Anything_else_is_refused_with_what_a_role_name_is(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new AgentRole(name));

        Assert.Contains("1-31 lower-case letters, digits or dashes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_in_roles_keep_their_names_and_print_as_the_enum_did()
    {
        Assert.Equal(["coder", "tester", "docs", "reviewer"], AgentRole.BuiltIn.Select(r => r.Name));
        Assert.Equal("Coder", AgentRole.Coder.ToString());
        Assert.Equal("Ops", new AgentRole("ops").ToString());
        Assert.True(AgentRole.Docs.IsBuiltIn);
        Assert.False(new AgentRole("ops").IsBuiltIn);
    }

    [Fact]
    public void Roles_are_equal_by_name_and_parse_in_any_letter_case()
    {
        Assert.True(AgentRole.TryParse(" Coder ", out var coder));
        Assert.Equal(AgentRole.Coder, coder);
        Assert.Equal(new AgentRole("ops"), AgentRole.Parse("OPS"));
        Assert.False(AgentRole.TryParse("not a role", out _));
        Assert.Throws<FormatException>(() => AgentRole.Parse("ops team"));
    }

    [Fact]
    public void A_message_carries_its_role_as_the_name_string()
    {
        var task = new PlannedTask("deploy", new AgentRole("ops"), "Deploy", "Edit the workflow", []);

        var json = JsonSerializer.Serialize(task, Web);

        Assert.Contains("\"role\":\"ops\"", json, StringComparison.Ordinal);
        Assert.Equal(task.Role, JsonSerializer.Deserialize<PlannedTask>(json, Web)!.Role);
    }

    [Theory]
    [InlineData("0", "coder")]
    [InlineData("1", "tester")]
    [InlineData("2", "docs")]
    [InlineData("\"Coder\"", "coder")]
    [InlineData("\"Docs\"", "docs")]
    public void Messages_and_saved_state_of_the_enum_era_still_read(string role, string expected)
    {
        var json = $$"""{"taskId":"t","role":{{role}},"title":"T","instructions":"I","dependsOn":[]}""";

        Assert.Equal(expected, JsonSerializer.Deserialize<PlannedTask>(json, Web)!.Role.Name);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("\"ops team\"")]
    [InlineData("true")]
    public void A_role_that_is_no_role_fails_to_read(string role)
    {
        var json = $$"""{"taskId":"t","role":{{role}},"title":"T","instructions":"I","dependsOn":[]}""";

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<PlannedTask>(json, Web));
    }

    [Fact]
    public void A_role_can_key_a_dictionary_in_JSON()
    {
        var counts = new Dictionary<AgentRole, int> { [AgentRole.Coder] = 2, [new AgentRole("ops")] = 1 };

        var json = JsonSerializer.Serialize(counts);

        Assert.Equal("""{"coder":2,"ops":1}""", json);
        Assert.Equal(counts, JsonSerializer.Deserialize<Dictionary<AgentRole, int>>(json));
    }
}
