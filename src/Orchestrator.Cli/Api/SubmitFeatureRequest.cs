namespace Orchestrator.Cli.Api;

/// <summary>Body of <c>POST /features</c>.</summary>
internal sealed record SubmitFeatureRequest(string Repository, string BaseBranch, string Request, string? Script);
