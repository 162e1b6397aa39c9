using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Agents;

/// <summary>Configuration section <c>Agents</c>.</summary>
public sealed class AgentOptions
{
    public const string Section = "Agents";

    /// <summary>Where task workspaces (fresh clones) are made; each is deleted when its task ends.</summary>
    [Required]
    public string WorkRoot { get; set; } = Path.Combine(Path.GetTempPath(), "orchestrator", "workspaces");

    /// <summary>Longest a build or test command of the target repository may run.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "02:00:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Tool output longer than this is truncated (with a note) before it goes back to the model.</summary>
    [Range(1_000, 1_000_000)]
    public int MaxToolOutputChars { get; set; } = 16_000;

    /// <summary>Upper bound on model calls in one task attempt.</summary>
    [Range(1, 500)]
    public int MaxModelCalls { get; set; } = 60;

    /// <summary>
    /// Tasks one instance runs at once, each in a workspace of its own; the queue hands the instance no more than that
    /// (prefetch), so waiting tasks stay on the queue for another instance. Tasks are heavy (clones, builds): raise it
    /// on machines with the cores for it, or add instances.
    /// </summary>
    [Range(1, MaxConcurrency)]
    public int Concurrency { get; set; } = 1;

    public const int MaxConcurrency = 16;

    /// <summary>Keep workspaces after the task for inspection (debugging only).</summary>
    public bool KeepWorkspaces { get; set; }
}
