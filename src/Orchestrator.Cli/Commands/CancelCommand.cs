using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator cancel &lt;id&gt;</c>: asks the API to stop a feature.</summary>
internal sealed class CancelCommand(ApiConnection connection)
    : FeatureReasonCommand("cancel", "Cancel a feature that has not finished.", "Why; recorded on the feature.", connection)
{
    protected override Task<string> SendJsonAsync(OrchestratorApiClient api, string featureId, string? reason, CancellationToken cancellationToken) =>
        api.CancelJsonAsync(featureId, reason, cancellationToken);

    protected override Task<Feature> SendAsync(OrchestratorApiClient api, string featureId, string? reason, CancellationToken cancellationToken) =>
        api.CancelAsync(featureId, reason, cancellationToken);

    // Cancellation is asynchronous: the answer is usually still the old state, so say "requested".
    protected override string Sent(string featureId, Feature answer) => $"cancel requested for feature {featureId} (state {answer.State})";
}
