using Microsoft.Extensions.Options;
using Orchestrator.Merge.Forges;
using Orchestrator.Messaging;

namespace Orchestrator.Merge.Staging;

/// <summary>
/// This service's own credential for its staging repositories: read-only, minted from the feature's key when git
/// needs it (consolidation fetching the task branches), never an agent's.
/// </summary>
public sealed class StagingReaderCredentials(StagingKeys keys, IOptions<StagingOptions> options) : IForgeCredentials
{
    public IReadOnlyDictionary<string, string>? GitEnvironmentFor(string repository)
    {
        var staging = options.Value;
        if (!staging.Enabled || !Uri.TryCreate(repository, UriKind.Absolute, out var url)
            || !Guid.TryParseExact(Path.GetFileNameWithoutExtension(url.AbsolutePath), "N", out var featureId)
            || staging.RepositoryUrl(featureId) != repository
            || keys.Find(featureId) is not { } key)
        {
            return null;
        }

        return StagingCredentials.GitEnvironment(repository, StagingCredentials.ForReader(key, featureId));
    }
}
