using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Agents.Transcripts;
using Orchestrator.Contracts;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents;

/// <summary>
/// Carries out one task attempt: a fresh clone, the task branch (with its dependencies merged in), the model's
/// tool loop, one commit, a push; <see cref="AgentAttempt"/> frames it and reports <see cref="TaskCompleted"/> or
/// <see cref="TaskFailed"/>.
/// </summary>
public sealed partial class AgentTaskRunner(
    AgentRoleDefinition role,
    ChatModelFactory models,
    ProcessRunner processes,
    IRepositoryCommandRunner commands,
    AgentAttempt attempt,
    IOptions<AgentOptions> options,
    IServiceProvider services,
    ILogger<AgentTaskRunner> logger)
{
    public Task RunAsync(ConsumeContext context, TaskAssignment task)
    {
        LogStarting(logger, role.Role, task.TaskId, task.Attempt, task.FeatureId, task.Model.Description);
        return attempt.RunAsync(context, task, async scope =>
        {
            var completed = await ExecuteAsync(task, scope.Workspace, scope.Meter, scope.Transcript, scope.Token);
            LogCompleted(logger, role.Role, task.TaskId, completed.Commit);
            return completed;
        });
    }

    private async Task<TaskCompleted> ExecuteAsync(
        TaskAssignment task, string workspace, UsageMeter meter, TaskTranscript transcript, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(workspace)!);
        // The attempt's staging credential reaches git (clone, dependency fetches, push) only as per-process environment.
        var credential = StagingCredentials.GitEnvironment(task.Repository, task.StagingCredential);
        var git = await GitRepository.CloneAsync(processes, task.Repository, task.BaseBranch, workspace, credential, cancellationToken);
        if (await PushedAttempt.FindAsync(git, task, cancellationToken) is { } pushed)
        {
            LogAlreadyPushed(logger, role.Role, task.TaskId, task.Attempt, pushed.Commit);
            return pushed;
        }

        await git.ConfigureIdentityAsync(role.GitName, role.GitEmail, cancellationToken);
        await git.CreateBranchAsync(task.Branch, cancellationToken);
        var root = new WorkspaceRoot(workspace);
        // The repository's guidance from the base branch as cloned: the AGENTS.md nearest to the task's files, and the rest.
        var instructions = RepositoryInstructions.Read(root, task.Files ?? []);
        var activity = new ToolActivityLog(logger, task.TaskId) { Transcript = transcript };
        var resolved = await MergeDependenciesAsync(task, git, root, meter, activity, cancellationToken);

        string summary;
        IReadOnlyList<string> changed;
        string commit;
        if (task.Kind == TaskKind.ResolveConflicts)
        {
            // The resolution is the merge commits themselves.
            summary = resolved.Summaries.Count > 0
                ? string.Join("\n\n", resolved.Summaries)
                : "The task branches merged without conflicts; nothing needed resolving.";
            changed = resolved.Files;
            commit = await git.HeadAsync(cancellationToken);
        }
        else
        {
            summary = await RunModelAsync(task, task.TaskId, AgentTaskPrompt.For(task, instructions), root, meter, activity, cancellationToken);
            changed = await git.ChangedFilesAsync(cancellationToken);
            if (changed.Count == 0)
            {
                throw new AgentTaskException("the agent finished without changing any file");
            }

            commit = await git.CommitAllAsync($"{task.Title}\n\n{summary}", PushedAttempt.Trailers(task), cancellationToken)
                ?? throw new AgentTaskException("the agent's changes produced nothing to commit");
        }

        await git.PushAsync(task.Branch, force: true, cancellationToken);

        return new TaskCompleted(task.FeatureId, task.TaskId, task.Attempt, task.Branch, commit, summary, changed, meter.Total, task.Model.Description)
        {
            InstructionFiles = task.Kind == TaskKind.ResolveConflicts ? [] : instructions.Paths,
        };
    }

    private sealed record Resolution(IReadOnlyList<string> Summaries, IReadOnlyList<string> Files);

    /// <summary>
    /// Merges the branches this task builds on. A conflict fails an ordinary task; a conflict-resolution task stops at
    /// each conflicting merge, lets the model resolve it (agent key <c>task</c>, then <c>task.2</c>, ...), checks no
    /// conflict marker remains, and commits the merge.
    /// </summary>
    private async Task<Resolution> MergeDependenciesAsync(
        TaskAssignment task, GitRepository git, WorkspaceRoot root, UsageMeter meter, ToolActivityLog activity, CancellationToken cancellationToken)
    {
        var summaries = new List<string>();
        var files = new List<string>();
        foreach (var dependency in task.DependencyBranches)
        {
            await git.FetchAsync(dependency, cancellationToken);
            var message = $"Merge {dependency} (dependency of {task.TaskId})";
            if (task.Kind != TaskKind.ResolveConflicts)
            {
                var merged = await git.MergeAsync($"origin/{dependency}", message, cancellationToken);
                if (!merged.Merged)
                {
                    throw new AgentTaskException(
                        $"the dependency branch {dependency} conflicts with the work merged before it in: {string.Join(", ", merged.ConflictingFiles)}");
                }

                continue;
            }

            var attempt = await git.MergeKeepingConflictsAsync($"origin/{dependency}", message, cancellationToken);
            if (attempt.Merged)
            {
                continue;
            }

            var conflicted = attempt.ConflictingFiles;
            var agent = summaries.Count == 0 ? task.TaskId : $"{task.TaskId}.{summaries.Count + 1}";
            // The repository's instructions for the conflicting files, as the agents that wrote them had them.
            var prompt = AgentTaskPrompt.For(task, RepositoryInstructions.Read(root, conflicted)) +
                $"\nThe merge of {dependency} stopped with conflicts in: {string.Join(", ", conflicted)}. Resolve them now.\n";
            summaries.Add(await RunModelAsync(task, agent, prompt, root, meter, activity, cancellationToken));

            var unresolved = conflicted.Where(f => HasConflictMarkers(root.Resolve(f))).ToList();
            if (unresolved.Count > 0)
            {
                throw new AgentTaskException($"conflict markers remain in {string.Join(", ", unresolved)} after the agent finished");
            }

            await git.CommitMergeAsync(cancellationToken);
            files.AddRange(conflicted);
        }

        return new Resolution(summaries, files);
    }

    private static bool HasConflictMarkers(string file) =>
        File.Exists(file) && File.ReadLines(file).Any(line =>
            line.StartsWith("<<<<<<< ", StringComparison.Ordinal) || line.StartsWith(">>>>>>> ", StringComparison.Ordinal));

    private async Task<string> RunModelAsync(
        TaskAssignment task, string agent, string prompt, WorkspaceRoot root, UsageMeter meter, ToolActivityLog activity,
        CancellationToken cancellationToken)
    {
        using var client = await models.CreateAsync(
            task.Model, new ModelConversation(task.FeatureId, agent, task.Attempt), meter, activity.Transcript, cancellationToken);
        var kernel = new Kernel(services);
        if (activity.Transcript is { } transcript)
        {
            kernel.AutoFunctionInvocationFilters.Add(transcript);
        }

        kernel.Plugins.Add(WorkspaceTools.Plugin(new WorkspacePlugin(root, commands, options.Value, activity, RemoteOf(task)), role.Tools));

        var history = new ChatHistory(role.SystemPrompt);
        history.AddUserMessage(prompt);
        var chat = client.AsChatCompletionService(services);
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var reply = await chat.GetChatMessageContentAsync(history, settings, kernel, cancellationToken);

        var summary = reply.Content?.Trim();
        if (string.IsNullOrEmpty(summary))
        {
            throw new AgentTaskException("the model ended without a summary of its work");
        }

        return summary;
    }

    // A runner on another machine (a Kubernetes Job) gets the workspace from the staging repository the attempt cloned,
    // with the attempt's own credential; a repository reached without staging (a local path) has no such way.
    private static RemoteWorkspace? RemoteOf(TaskAssignment task) =>
        StagingCredentials.GitEnvironment(task.Repository, task.StagingCredential) is { } credential
        && StagingCredentials.Read(task.StagingCredential)?.RunRefPrefix is { } prefix
            ? new RemoteWorkspace(task.Repository, credential, prefix)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Role} starting task {TaskId} attempt {Attempt} of feature {FeatureId} with model {Model}")]
    private static partial void LogStarting(ILogger logger, AgentRole role, string taskId, int attempt, Guid featureId, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Role} completed task {TaskId}: commit {Commit}")]
    private static partial void LogCompleted(ILogger logger, AgentRole role, string taskId, string commit);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Role} task {TaskId} attempt {Attempt} was delivered again: its commit {Commit} is already pushed, reported again without redoing the work")]
    private static partial void LogAlreadyPushed(ILogger logger, AgentRole role, string taskId, int attempt, string commit);
}
