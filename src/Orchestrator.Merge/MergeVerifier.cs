using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Merge.Staging;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge;

/// <summary>
/// Verifies a merged branch with the command its base branch names, on a copy: whatever the command does (rewrite
/// <c>.git/config</c>, move the branch, add commits) stays in the copy, and the commit pushed afterwards is the one
/// verified, from a repository no repository command touched.
/// </summary>
/// <param name="runnerWorkspaces">How a runner on another machine (a Kubernetes Job) gets the copy; null: local runners only.</param>
public sealed partial class MergeVerifier(
    IRepositoryCommandRunner repositoryCommands, IOptions<MergeOptions> options, ILogger<MergeVerifier> logger,
    StagingRunnerWorkspaces? runnerWorkspaces = null)
{
    private const int PassedExcerptLines = 15;
    private const int FailedExcerptLines = 60;

    /// <param name="merged">The merged branch, checked out; it is copied, never run in.</param>
    /// <param name="baseCommands">The commands read from the base branch before anything was merged: agents cannot choose them.</param>
    /// <param name="featureId">The feature whose staging repository a remote runner fetches the copy from.</param>
    public async Task<VerificationResult> VerifyAsync(
        GitRepository merged, RepositoryCommands baseCommands, Guid featureId, CancellationToken cancellationToken)
    {
        var commit = await merged.HeadAsync(cancellationToken);
        var command = baseCommands.Test ?? baseCommands.Build;
        if (command is null)
        {
            return new VerificationResult(false, "(none)",
                "Not verified: the base branch names no build or test command (.orchestrator.json), and none was detected (.NET, npm, make).")
            {
                Ran = false,
                Commit = commit,
            };
        }

        var copy = $"{merged.WorkingDirectory}-verify";
        try
        {
            await merged.CopyAsync(copy, cancellationToken);
            var result = await repositoryCommands.RunAfterRestoreAsync(
                copy, baseCommands, command, new RepositoryCommandLimits { Timeout = options.Value.VerificationTimeout },
                runnerWorkspaces?.For(featureId), cancellationToken);
            LogVerified(logger, commit, command.ToString(), result.ExitCode, result.TimedOut, result.Sandboxed);
            return new VerificationResult(result.Succeeded, command.ToString(), Summary(result, baseCommands.Test is null))
            {
                ExitCode = result.TimedOut ? null : result.ExitCode,
                Commit = commit,
                Sandboxed = result.Sandboxed,
            };
        }
        finally
        {
            if (WorkspaceDirectory.TryDelete(copy) is { } error)
            {
                LogCleanupFailed(logger, copy, error);
            }
        }
    }

    private string Summary(RepositoryCommandResult result, bool buildOnly)
    {
        if (result.TimedOut)
        {
            return $"Timed out after {options.Value.VerificationTimeout}; the process tree was killed.\n{Tail(result.Output, FailedExcerptLines)}";
        }

        var scope = buildOnly ? "Build only: the repository has no test command.\n" : string.Empty;
        return result.Succeeded
            ? $"{scope}{Tail(result.Output, PassedExcerptLines)}"
            : $"{scope}{Tail(result.Output, FailedExcerptLines)}";
    }

    private static string Tail(string output, int lines) => string.Join('\n', output.TrimEnd().Split('\n').TakeLast(lines));

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Verified {Commit} with {Command}: exit code {ExitCode}, timed out {TimedOut}, sandboxed {Sandboxed}")]
    private static partial void LogVerified(ILogger logger, string commit, string command, int exitCode, bool timedOut, bool sandboxed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the verification copy {Directory}: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string directory, string reason);
}
