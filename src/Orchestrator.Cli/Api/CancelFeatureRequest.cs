namespace Orchestrator.Cli.Api;

/// <summary>Body of <c>POST /features/{id}/cancel</c>.</summary>
internal sealed record CancelFeatureRequest(string? Reason);
