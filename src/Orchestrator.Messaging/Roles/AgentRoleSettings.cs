namespace Orchestrator.Messaging.Roles;

/// <summary>
/// One role's configuration, <c>Roles:&lt;name&gt;</c>. For a built-in role every setting is optional (its defaults are
/// in <see cref="AgentRoles"/>); a configured role needs a <see cref="Description"/> and a prompt.
/// </summary>
public sealed class AgentRoleSettings
{
    /// <summary>What the role does, in a line: the planner is told it.</summary>
    public string? Description { get; set; }

    /// <summary>The role's system prompt, as text (overrides a built-in role's embedded prompt).</summary>
    public string? SystemPrompt { get; set; }

    /// <summary>A file holding the role's system prompt (read by the role's agent service at start).</summary>
    public string? SystemPromptFile { get; set; }

    /// <summary>The workspace tools the role's agent may call (<see cref="AgentTools"/>); unset: <see cref="AgentTools.Default"/>.</summary>
    public List<string>? Tools { get; set; }

    /// <summary>The queue the role's agent service consumes; unset: the role's name.</summary>
    public string? Queue { get; set; }

    /// <summary>Whether the planner may give the role tasks (default true; the reviewer never gets any).</summary>
    public bool? Plannable { get; set; }
}

/// <summary>The <c>Roles</c> section: role name → its settings.</summary>
public sealed class AgentRolesOptions
{
    public const string Section = "Roles";

    public Dictionary<string, AgentRoleSettings> Roles { get; } = new(StringComparer.OrdinalIgnoreCase);
}
