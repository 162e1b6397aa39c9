using System.Reflection;
using Orchestrator.Contracts;

namespace Orchestrator.Agents;

/// <summary>What makes an agent service the Coder, the Tester or the Docs agent: its role and its system prompt.</summary>
public sealed record AgentRoleDefinition(AgentRole Role, string SystemPrompt)
{
    /// <summary>Loads the system prompt embedded in the role's assembly as <c>Prompts/system.md</c>.</summary>
    public static AgentRoleDefinition FromAssembly(AgentRole role, Assembly assembly)
    {
        var resource = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith(".Prompts.system.md", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} embeds no Prompts/system.md.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new AgentRoleDefinition(role, reader.ReadToEnd());
    }

    public string GitName => $"Orchestrator {Role}";

    public string GitEmail => $"{Role.ToString().ToLowerInvariant()}@agents.orchestrator.invalid";
}
