using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Orchestrator.Contracts;

/// <summary>
/// The role of an agent: a lower-case name (<c>^[a-z][a-z0-9-]{0,30}$</c>). The built-in roles are
/// <see cref="Coder"/>, <see cref="Tester"/>, <see cref="Docs"/> and <see cref="Reviewer"/>; an operator configures
/// more (for example <c>ops</c>), which a plan, a task and the bus carry like the built-ins. On the wire and in stored
/// state a role is its name as a JSON string.
/// </summary>
[JsonConverter(typeof(AgentRoleJsonConverter))]
public readonly partial record struct AgentRole
{
    private readonly string? _name;

    /// <summary>A role by its name; throws <see cref="ArgumentException"/> for a name that is not a role name.</summary>
    public AgentRole(string name)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a role name: 1-31 lower-case letters, digits or dashes, starting with a letter.", nameof(name));
        }

        _name = name;
    }

    /// <summary>Implements production code.</summary>
    public static AgentRole Coder { get; } = new("coder");

    /// <summary>Writes and runs tests.</summary>
    public static AgentRole Tester { get; } = new("tester");

    /// <summary>Updates documentation.</summary>
    public static AgentRole Docs { get; } = new("docs");

    /// <summary>Reviews the merged result of a feature.</summary>
    public static AgentRole Reviewer { get; } = new("reviewer");

    /// <summary>The roles every installation has.</summary>
    public static IReadOnlyList<AgentRole> BuiltIn { get; } = [Coder, Tester, Docs, Reviewer];

    /// <summary>The role's name, as configured and as carried on the wire (empty for <c>default</c>).</summary>
    public string Name => _name ?? string.Empty;

    /// <summary>Whether this is one of <see cref="BuiltIn"/>.</summary>
    public bool IsBuiltIn => BuiltIn.Contains(this);

    /// <summary>The name with a capital, as people read it ("Coder", "Ops"): what the role enum printed before.</summary>
    public override string ToString() => Name.Length == 0 ? Name : string.Concat(char.ToUpperInvariant(Name[0]).ToString(), Name.AsSpan(1));

    public static bool IsValidName([NotNullWhen(true)] string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>
    /// Reads a role's name as people and models write it: any letter case ("Coder", the enum's spelling in state saved
    /// before roles were configuration), surrounding blanks ignored.
    /// </summary>
    public static bool TryParse(string? text, out AgentRole role)
    {
        var name = text?.Trim().ToLowerInvariant();
        role = IsValidName(name) ? new AgentRole(name) : default;
        return IsValidName(name);
    }

    public static AgentRole Parse(string text) =>
        TryParse(text, out var role) ? role : throw new FormatException($"'{text}' is not a role name: 1-31 lower-case letters, digits or dashes, starting with a letter.");

    // \z, not $: "$" also matches before a final line break.
    [GeneratedRegex("^[a-z][a-z0-9-]{0,30}\\z")]
    private static partial Regex NamePattern();
}
