using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Merge.Staging;

namespace Orchestrator.Merge;

/// <summary>
/// Where a verified commit goes for review. A staging repository is written on this service's disk, as the runner
/// snapshots are: its HTTP endpoint lets no reader push, and this service holds only a reader's credential there.
/// </summary>
public sealed class ReviewBranches(IOptions<StagingOptions> options)
{
    /// <summary>The local path of the feature's staging repository when it is the work repository; null otherwise.</summary>
    public string? StagingPathFor(ConsolidateFeature feature)
    {
        var staging = options.Value;
        return staging.Enabled && feature.WorkRepository is { } work && staging.BaseUrl is not null
            && work == staging.RepositoryUrl(feature.FeatureId)
            ? staging.RepositoryPath(feature.FeatureId)
            : null;
    }
}
