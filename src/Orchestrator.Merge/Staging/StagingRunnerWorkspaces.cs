using Microsoft.Extensions.Options;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Staging;

/// <summary>
/// How a runner that does not share this service's disk (the Kubernetes Job runner) reaches a verification copy: the
/// snapshot is written straight into the feature's staging repository on this service's disk (its HTTP endpoint lets
/// no reader push), and the Job clones it over HTTP with this service's read-only credential.
/// </summary>
public sealed class StagingRunnerWorkspaces(StagingKeys keys, IOptions<StagingOptions> options)
{
    /// <summary>
    /// Where the merge service's runner snapshots go: outside <c>refs/orchestrator/runs/tasks/</c>, so no task's
    /// credential, whatever the task is called, may touch them.
    /// </summary>
    public const string RunRefPrefix = "refs/orchestrator/runs/merge/";

    /// <summary>The feature's staging repository as a runner's Job reaches it; null when staging is off or the feature has no key.</summary>
    public RemoteWorkspace? For(Guid featureId)
    {
        var staging = options.Value;
        if (!staging.Enabled)
        {
            return null;
        }

        var url = staging.RepositoryUrl(featureId);
        return new StagingReaderCredentials(keys, options).GitEnvironmentFor(url) is { } reader
            ? new RemoteWorkspace(url, reader, RunRefPrefix) { PushRepository = staging.RepositoryPath(featureId) }
            : null;
    }
}
