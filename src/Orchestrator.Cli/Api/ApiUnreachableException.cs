namespace Orchestrator.Cli.Api;

/// <summary>No HTTP answer at all: connection refused, DNS failure, or the request timed out.</summary>
internal sealed class ApiUnreachableException(Uri baseAddress, string reason, Exception? inner = null)
    : OrchestratorApiException($"cannot reach the Orchestrator API at {baseAddress}: {reason}", inner)
{
    public string Reason { get; } = reason;
}
