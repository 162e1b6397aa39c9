namespace Orchestrator.Cli.Api;

/// <summary>Anything that went wrong talking to the API; the message is fit to show the user as it is.</summary>
internal class OrchestratorApiException(string message, Exception? inner = null) : Exception(message, inner);
