using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge;

/// <summary>The outcome of a consolidation: an open pull request, or the reason there is none.</summary>
public abstract record ConsolidationOutcome
{
    public sealed record Opened(PullRequestInfo PullRequest, VerificationResult Verification) : ConsolidationOutcome;

    public sealed record Refused(string Reason, IReadOnlyList<string> ConflictingFiles) : ConsolidationOutcome;
}

/// <summary>
/// Fans the task branches into the feature branch (in dependency order, from the base branch), verifies the result
/// with the repository's own test (or build) command, pushes it and opens or updates the feature's one pull request.
/// </summary>
public sealed partial class FeatureConsolidator(
    ProcessRunner processes,
    IEnumerable<IPullRequestPublisher> publishers,
    IOptions<MergeOptions> options,
    ILogger<FeatureConsolidator> logger)
{
    private static readonly ActivitySource Telemetry = new("Orchestrator");

    public async Task<ConsolidationOutcome> ConsolidateAsync(ConsolidateFeature feature, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.StartActivity("consolidate feature");
        activity?.SetTag("orchestrator.feature_id", feature.FeatureId);

        var publisher = publishers.FirstOrDefault(p => p.CanPublishTo(feature.Repository));
        if (publisher is null)
        {
            return new ConsolidationOutcome.Refused($"no forge is configured that can open a pull request on '{feature.Repository}'", []);
        }

        var workspace = Path.Combine(Path.GetFullPath(options.Value.WorkRoot), $"{feature.FeatureId:N}-{Guid.NewGuid():N}");
        try
        {
            var git = await GitRepository.CloneAsync(processes, feature.Repository, feature.BaseBranch, workspace, cancellationToken);
            await git.ConfigureIdentityAsync("Orchestrator Merge", "merge@agents.orchestrator.invalid", cancellationToken);
            await git.CreateBranchAsync(feature.FeatureBranch, cancellationToken);

            foreach (var task in feature.Tasks)
            {
                await git.FetchAsync(task.Branch, cancellationToken);
                var merge = await git.MergeAsync($"origin/{task.Branch}", $"Merge {task.Role} task {task.TaskId}: {task.Title}", cancellationToken);
                if (!merge.Merged)
                {
                    LogConflict(logger, feature.FeatureId, task.TaskId, merge.ConflictingFiles.Count);
                    return new ConsolidationOutcome.Refused(
                        $"task '{task.TaskId}' ({task.Role}) conflicts with the tasks merged before it in: {string.Join(", ", merge.ConflictingFiles)}",
                        merge.ConflictingFiles);
                }
            }

            var verification = await VerifyAsync(workspace, cancellationToken);
            if (!verification.Passed)
            {
                return new ConsolidationOutcome.Refused($"verification of the merged branch failed: `{verification.Command}`\n{verification.Summary}", []);
            }

            await git.PushAsync(feature.FeatureBranch, force: true, cancellationToken);
            var pullRequest = await publisher.OpenOrUpdateAsync(
                new PullRequestDraft(feature.FeatureId, feature.Repository, feature.FeatureBranch, feature.BaseBranch, feature.Title,
                    PullRequestBody.Write(feature, verification)),
                cancellationToken);
            LogOpened(logger, feature.FeatureId, pullRequest.Number, pullRequest.Url);
            return new ConsolidationOutcome.Opened(pullRequest, verification);
        }
        finally
        {
            TryDelete(workspace);
        }
    }

    private async Task<VerificationResult> VerifyAsync(string workspace, CancellationToken cancellationToken)
    {
        var commands = RepositoryCommands.Detect(workspace);
        var command = commands.Test ?? commands.Build;
        if (command is null)
        {
            return new VerificationResult(true, "(none)", "Not verified: the repository has no build or test command.");
        }

        var result = await processes.RunAsync(
            new ProcessSpec(command.FileName, command.Arguments, workspace) { Timeout = options.Value.VerificationTimeout },
            cancellationToken);
        var kind = commands.Test is not null ? "tests" : "build only (the repository has no test command)";
        var summary = result.TimedOut
            ? $"Timed out after {options.Value.VerificationTimeout}.\n{Tail(result.Output, 40)}"
            : result.Succeeded
                ? $"{kind}: {Outcome(result.Output)}"
                : $"Exit code {result.ExitCode}.\n{Tail(result.Output, 60)}";
        return new VerificationResult(result.Succeeded, command.ToString(), summary);
    }

    // The test runner's own closing lines are the most useful summary of a passing run.
    private static string Outcome(string output)
    {
        var lines = output.Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("Passed!", StringComparison.Ordinal) || l.StartsWith("Failed!", StringComparison.Ordinal)
                        || l.Contains("Total tests", StringComparison.Ordinal) || l.StartsWith("Build succeeded", StringComparison.Ordinal))
            .ToList();
        return lines.Count > 0 ? string.Join('\n', lines) : "exit code 0";
    }

    private static string Tail(string output, int lines) => string.Join('\n', output.TrimEnd().Split('\n').TakeLast(lines));

    private void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(logger, directory, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: task {TaskId} conflicts in {Files} files")]
    private static partial void LogConflict(ILogger logger, Guid featureId, string taskId, int files);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: pull request #{Number} open at {Url}")]
    private static partial void LogOpened(ILogger logger, Guid featureId, int number, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete workspace {Directory}: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string directory, string reason);
}
