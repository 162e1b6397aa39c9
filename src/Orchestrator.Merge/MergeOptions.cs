using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Merge;

/// <summary>Configuration section <c>Merge</c>.</summary>
public sealed class MergeOptions
{
    public const string Section = "Merge";

    /// <summary>Where consolidation workspaces are made; each is deleted afterwards.</summary>
    [Required]
    public string WorkRoot { get; set; } = Path.Combine(Path.GetTempPath(), "orchestrator", "merge");

    /// <summary>Longest the verification (the repository's test or build command) may run.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "04:00:00")]
    public TimeSpan VerificationTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Delete the task branches once the pull request is open (the feature branch holds their commits).</summary>
    public bool DeleteTaskBranches { get; set; } = true;
}
