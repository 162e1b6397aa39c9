namespace Orchestrator.Workspaces;

/// <summary>A path given for a workspace was refused; the message is safe to show to a model.</summary>
public sealed class WorkspacePathException(string message) : Exception(message);
