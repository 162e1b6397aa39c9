using Orchestrator.Contracts;

namespace Orchestrator.Messaging.Roles;

/// <summary>
/// A role as the system runs it: a name, what it does, a system prompt (the built-ins' is embedded in their services,
/// <see cref="SystemPrompt"/> or <see cref="SystemPromptFile"/> override it), a tool set and a queue.
/// </summary>
public sealed record ConfiguredRole(
    AgentRole Role,
    string Description,
    string Queue,
    IReadOnlyList<string> Tools,
    bool Plannable,
    string? SystemPrompt = null,
    string? SystemPromptFile = null)
{
    /// <summary>Where the saga sends the role's tasks: the built-ins' own commands, <see cref="RunAgentTask"/> for the rest.</summary>
    public AgentRoute Route => AgentRoutes.For(Role, Queue);
}
