using Orchestrator.Cli.CommandLine;

namespace Orchestrator.Cli.Api;

/// <summary>The API answered 401: no key was sent, or not one it accepts. Not worth retrying, and fixed by the user.</summary>
internal sealed class ApiKeyRefusedException(bool keySent)
    : OrchestratorApiException(
        $"the API refused the key (401): {(keySent ? "" : "none was sent; ")}set {ApiKeyOption.EnvironmentVariable} to one of the keys the orchestrator accepts (its Api:Keys)");
