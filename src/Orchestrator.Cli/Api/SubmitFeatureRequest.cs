namespace Orchestrator.Cli.Api;

/// <summary>Body of <c>POST /features</c>.</summary>
/// <param name="ApprovePlan">True to wait for the plan's approval; null leaves it to the server's default.</param>
/// <param name="Model">The model the endpoint should use; null: the endpoint's own.</param>
/// <param name="TokenBudget">Most tokens the feature may spend; null: the server's default.</param>
internal sealed record SubmitFeatureRequest(
    string Repository, string BaseBranch, string Request, string? Script, bool? ApprovePlan = null, string? Model = null, long? TokenBudget = null)
{
    /// <summary>False to skip the Reviewer agent's review; null leaves it to the server's default (<c>Features:Review</c>).</summary>
    public bool? Review { get; init; }
}
