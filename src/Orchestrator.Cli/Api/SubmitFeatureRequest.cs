namespace Orchestrator.Cli.Api;

/// <summary>Body of <c>POST /features</c>.</summary>
/// <param name="ApprovePlan">True to wait for the plan's approval; null leaves it to the server's default.</param>
internal sealed record SubmitFeatureRequest(string Repository, string BaseBranch, string Request, string? Script, bool? ApprovePlan = null);
