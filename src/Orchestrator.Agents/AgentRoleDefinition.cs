using System.Reflection;
using Orchestrator.Contracts;
using Orchestrator.Llm;

namespace Orchestrator.Agents;

/// <summary>What makes an agent service the Coder, the Tester or the Docs agent: its role and its system prompt.</summary>
public sealed record AgentRoleDefinition(AgentRole Role, string SystemPrompt)
{
    /// <summary>Loads the system prompt embedded in the role's assembly as <c>Prompts/system.md</c>.</summary>
    public static AgentRoleDefinition FromAssembly(AgentRole role, Assembly assembly) =>
        new(role, EmbeddedPrompt.Read(assembly, "system.md"));

    public string GitName => $"Orchestrator {Role}";

    public string GitEmail => $"{Role.ToString().ToLowerInvariant()}@agents.orchestrator.invalid";
}
