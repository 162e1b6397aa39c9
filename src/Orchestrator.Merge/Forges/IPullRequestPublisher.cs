using Orchestrator.Contracts;

namespace Orchestrator.Merge.Forges;

/// <summary>What a pull request says; the publisher decides where it goes.</summary>
public sealed record PullRequestDraft(Guid FeatureId, string Repository, string Head, string Base, string Title, string Body);

/// <summary>Opens a feature's pull request on a forge, or updates the one already open for the same head branch.</summary>
public interface IPullRequestPublisher
{
    /// <summary>Name shown in <see cref="PullRequestInfo.Forge"/>.</summary>
    string Forge { get; }

    bool CanPublishTo(string repository);

    /// <summary>Checked before any work is accepted: null when a pull request can be opened there, else why not.</summary>
    Task<string?> CheckWriteAccessAsync(string repository, CancellationToken cancellationToken);

    /// <summary>Idempotent: the same head branch never gets a second open pull request.</summary>
    Task<PullRequestInfo> OpenOrUpdateAsync(PullRequestDraft draft, CancellationToken cancellationToken);
}
