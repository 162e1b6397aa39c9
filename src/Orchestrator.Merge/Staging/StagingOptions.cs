using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Merge.Staging;

/// <summary>Configuration section <c>Merge:Staging</c>: where agents' task branches live until the pull request opens.</summary>
public sealed class StagingOptions
{
    public const string Section = "Merge:Staging";

    /// <summary>
    /// The URL of this service as the agents reach it (e.g. <c>http://merge</c>). Unset: no staging; agents push their
    /// task branches straight to the target repository (fine for local repositories, not for a forge whose token only
    /// this service holds).
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>Where the staging repositories are kept, one bare repository per feature.</summary>
    public string Root { get; set; } = Path.Combine(Path.GetTempPath(), "orchestrator", "staging");

    /// <summary>Largest request body the git endpoint accepts (a push's pack); larger ones are refused with 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Most <c>git http-backend</c> processes at once; each serves one clone, fetch or push.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentRequests { get; set; } = 16;

    /// <summary>Requests that wait for a free slot (oldest first); beyond these the endpoint answers 503.</summary>
    [Range(0, 10_000)]
    public int MaxQueuedRequests { get; set; } = 64;

    public bool Enabled => !string.IsNullOrWhiteSpace(BaseUrl);

    public string RepositoryPath(Guid featureId) => Path.Combine(Path.GetFullPath(Root), $"{featureId:N}.git");

    public string RepositoryUrl(Guid featureId) => $"{BaseUrl!.TrimEnd('/')}{GitHttpBackend.RoutePrefix}/{featureId:N}.git";
}
