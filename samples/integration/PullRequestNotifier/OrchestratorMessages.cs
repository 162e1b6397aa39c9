using MassTransit;

namespace PullRequestNotifier;

// The Orchestrator's events as this service reads them, declared here rather than taken from Orchestrator.Contracts.
// On the wire a message is known by two names, both "Orchestrator.Contracts:<Type>" by default: its URN
// (urn:message:Orchestrator.Contracts:PullRequestOpened, in the envelope's messageType), which decides whether a consumer
// accepts it, and the name of the RabbitMQ exchange it is published to, which decides whether it reaches this queue at
// all. A type of another namespace must name both. Fields left out here are simply not read (System.Text.Json ignores
// them), so the Orchestrator may add fields without breaking this service (docs/integration.md, "Versioning").

/// <summary>The merge service opened (or found already open) a feature's pull request. May arrive more than once.</summary>
[MessageUrn("Orchestrator.Contracts:PullRequestOpened")]
[EntityName("Orchestrator.Contracts:PullRequestOpened")]
public sealed record PullRequestOpened(Guid FeatureId, PullRequestInfo PullRequest, VerificationResult? Verification);

/// <summary>A feature ended without a pull request.</summary>
[MessageUrn("Orchestrator.Contracts:FeatureFailed")]
[EntityName("Orchestrator.Contracts:FeatureFailed")]
public sealed record FeatureFailed(Guid FeatureId, string Reason);

/// <summary>The parts of the pull request this service shows.</summary>
public sealed record PullRequestInfo(int Number, string Url, string Head, string Base);

/// <summary>How the merged result was verified: <see cref="Passed"/> only for a command that ran and exited 0.</summary>
public sealed record VerificationResult(bool Passed, string Command)
{
    /// <summary>False when the base branch names no command: the pull request says "Not verified".</summary>
    public bool Ran { get; init; } = true;
}
