using System.Reflection;
using Orchestrator.Contracts;
using Orchestrator.Llm;
using Orchestrator.Messaging.Roles;

namespace Orchestrator.Agents;

/// <summary>What makes an agent service one role's agent: the role, its system prompt and the tools it may call.</summary>
public sealed record AgentRoleDefinition(AgentRole Role, string SystemPrompt, IReadOnlyList<string> Tools)
{
    public AgentRoleDefinition(AgentRole role, string systemPrompt)
        : this(role, systemPrompt, AgentTools.Default)
    {
    }

    /// <summary>Loads the system prompt embedded in the role's assembly as <c>Prompts/system.md</c>.</summary>
    public static AgentRoleDefinition FromAssembly(AgentRole role, Assembly assembly) =>
        new(role, EmbeddedPrompt.Read(assembly, "system.md"));

    /// <summary>
    /// The role as configured. Its prompt is <c>Roles:&lt;name&gt;:SystemPrompt</c>, else the file
    /// <c>SystemPromptFile</c> (relative to <paramref name="contentRoot"/>), else the one embedded in
    /// <paramref name="embeddedIn"/>; a role with none of them cannot run, and the error says which keys to set.
    /// </summary>
    public static AgentRoleDefinition From(ConfiguredRole role, Assembly? embeddedIn, string contentRoot)
    {
        var at = $"{AgentRolesOptions.Section}:{role.Role.Name}";
        if (role.SystemPrompt is { } text)
        {
            return new(role.Role, text, role.Tools);
        }

        if (role.SystemPromptFile is { } file)
        {
            var path = Path.GetFullPath(file, contentRoot);
            return File.Exists(path)
                ? new(role.Role, File.ReadAllText(path), role.Tools)
                : throw new InvalidOperationException($"{at}:SystemPromptFile: '{path}' does not exist.");
        }

        if (embeddedIn is not null && embeddedIn.GetManifestResourceNames().Any(n => n.EndsWith(".Prompts.system.md", StringComparison.Ordinal)))
        {
            return FromAssembly(role.Role, embeddedIn) with { Tools = role.Tools };
        }

        throw new InvalidOperationException($"The role '{role.Role.Name}' has no system prompt: set {at}:SystemPrompt or {at}:SystemPromptFile.");
    }

    public string GitName => $"Orchestrator {Role}";

    public string GitEmail => $"{Role.Name}@agents.orchestrator.invalid";
}
