namespace Orchestrator.Workspaces;

/// <summary>A git command failed; <see cref="Output"/> is what git printed.</summary>
public sealed class GitCommandException(string message, string output) : Exception(message)
{
    public string Output { get; } = output;
}

/// <summary>
/// The result of a merge: either merged, or stopped with the files that conflicted (aborted by
/// <see cref="GitRepository.MergeAsync"/>, left in progress by <see cref="GitRepository.MergeKeepingConflictsAsync"/>).
/// </summary>
public sealed record MergeOutcome(bool Merged, IReadOnlyList<string> ConflictingFiles);

/// <summary>What <see cref="GitRemote.ProbeAsync"/> found out about a repository and branch.</summary>
public sealed record RemoteProbe(bool RepositoryReachable, bool BranchExists, string? Error);
