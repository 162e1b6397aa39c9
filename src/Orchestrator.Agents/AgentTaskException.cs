namespace Orchestrator.Agents;

/// <summary>A task attempt failed for a reason the agent can state.</summary>
public sealed class AgentTaskException(string message) : Exception(message);
