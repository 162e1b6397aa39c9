using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator reject &lt;id&gt;</c>: rejects the plan (or the larger budget) a feature waits for; it ends Failed.</summary>
internal sealed class RejectCommand(ApiConnection connection)
    : FeatureReasonCommand("reject", "Reject a feature's plan (or a larger budget); the feature fails with the reason.",
        "Why; the feature's failure reason says it.", connection)
{
    protected override Task<string> SendJsonAsync(OrchestratorApiClient api, string featureId, string? reason, CancellationToken cancellationToken) =>
        api.RejectJsonAsync(featureId, reason, cancellationToken);

    protected override Task<Feature> SendAsync(OrchestratorApiClient api, string featureId, string? reason, CancellationToken cancellationToken) =>
        api.RejectAsync(featureId, reason, cancellationToken);

    protected override string Sent(string featureId, Feature answer) =>
        $"rejection sent for feature {featureId} (state {answer.State}); it ends Failed";
}
