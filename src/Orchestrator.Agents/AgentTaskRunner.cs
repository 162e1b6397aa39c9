using System.Diagnostics;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Contracts;
using Orchestrator.Models;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents;

/// <summary>
/// Carries out one task attempt: a fresh clone, the task branch (with its dependencies merged in), the model's
/// tool loop, one commit, a push, and the <see cref="TaskCompleted"/> or <see cref="TaskFailed"/> report.
/// </summary>
public sealed partial class AgentTaskRunner(
    AgentRoleDefinition role,
    ChatModelFactory models,
    ProcessRunner processes,
    FeatureCancellations cancellations,
    IOptions<AgentOptions> options,
    TimeProvider time,
    IServiceProvider services,
    ILogger<AgentTaskRunner> logger)
{
    private static readonly ActivitySource Telemetry = new("Orchestrator");

    public async Task RunAsync(ConsumeContext context, TaskAssignment task)
    {
        using var activity = Telemetry.StartActivity($"{role.Role} task {task.TaskId}");
        activity?.SetTag("orchestrator.feature_id", task.FeatureId);
        activity?.SetTag("orchestrator.task_id", task.TaskId);
        activity?.SetTag("orchestrator.attempt", task.Attempt);

        using var lease = cancellations.Track(task.FeatureId, context.CancellationToken, task.Deadline - time.GetUtcNow());
        var meter = new UsageMeter(options.Value.MaxModelCalls);
        var workspace = Path.Combine(Path.GetFullPath(options.Value.WorkRoot), task.FeatureId.ToString("N"), $"{task.TaskId}-{task.Attempt}-{Guid.NewGuid():N}");
        LogStarting(logger, role.Role, task.TaskId, task.Attempt, task.FeatureId, task.Model.Description);
        try
        {
            var completed = await ExecuteAsync(task, workspace, meter, lease.Token);
            LogCompleted(logger, role.Role, task.TaskId, completed.Commit);
            await context.Publish(completed, CancellationToken.None);
        }
        catch (Exception ex) when (FailureReason(ex, task, lease.Token) is { } reason)
        {
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            LogFailed(logger, role.Role, task.TaskId, reason);
            await context.Publish(new TaskFailed(task.FeatureId, task.TaskId, task.Attempt, reason, meter.Total), CancellationToken.None);
        }
        finally
        {
            if (!options.Value.KeepWorkspaces)
            {
                TryDelete(workspace);
                TryDeleteIfEmpty(Path.GetDirectoryName(workspace)!);
            }
        }
    }

    private async Task<TaskCompleted> ExecuteAsync(TaskAssignment task, string workspace, UsageMeter meter, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(workspace)!);
        var git = await GitRepository.CloneAsync(processes, task.Repository, task.BaseBranch, workspace, cancellationToken);
        await git.ConfigureIdentityAsync(role.GitName, role.GitEmail, cancellationToken);
        await git.CreateBranchAsync(task.Branch, cancellationToken);
        foreach (var dependency in task.DependencyBranches)
        {
            await git.FetchAsync(dependency, cancellationToken);
            var merged = await git.MergeAsync($"origin/{dependency}", $"Merge {dependency} (dependency of {task.TaskId})", cancellationToken);
            if (!merged.Merged)
            {
                throw new AgentTaskException(
                    $"the dependency branch {dependency} conflicts with the base branch in: {string.Join(", ", merged.ConflictingFiles)}");
            }
        }

        var activity = new ToolActivityLog(logger, task.TaskId);
        var summary = await RunModelAsync(task, new WorkspaceRoot(workspace), meter, activity, cancellationToken);

        var changed = await git.ChangedFilesAsync(cancellationToken);
        if (changed.Count == 0)
        {
            throw new AgentTaskException("the agent finished without changing any file");
        }

        var commit = await git.CommitAllAsync(CommitMessage(task, summary), cancellationToken)
            ?? throw new AgentTaskException("the agent's changes produced nothing to commit");
        await git.PushAsync(task.Branch, force: true, cancellationToken);

        return new TaskCompleted(task.FeatureId, task.TaskId, task.Attempt, task.Branch, commit, summary, changed, meter.Total, task.Model.Description);
    }

    private async Task<string> RunModelAsync(
        TaskAssignment task, WorkspaceRoot root, UsageMeter meter, ToolActivityLog activity, CancellationToken cancellationToken)
    {
        using var client = models.Create(task.Model, task.TaskId, meter);
        var kernel = new Kernel(services);
        kernel.Plugins.AddFromObject(new WorkspacePlugin(root, processes, options.Value, activity), WorkspacePlugin.PluginName);

        var history = new ChatHistory(role.SystemPrompt);
        history.AddUserMessage(TaskPrompt(task));
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

    private static string TaskPrompt(TaskAssignment task)
    {
        var prompt = new StringBuilder()
            .AppendLine($"Feature request: {task.FeatureRequest}")
            .AppendLine()
            .AppendLine($"Your task ({task.TaskId}): {task.Title}")
            .AppendLine(task.Instructions);
        if (!string.IsNullOrWhiteSpace(task.Interface))
        {
            prompt.AppendLine().AppendLine("Shared interface (the other agents rely on exactly this):").AppendLine(task.Interface);
        }

        if (task.DependencyBranches.Count > 0)
        {
            prompt.AppendLine().AppendLine($"The work of the tasks you depend on is already in your workspace ({string.Join(", ", task.DependencyBranches)}).");
        }

        return prompt.AppendLine().AppendLine("When you are done, reply with a short summary of what you changed and why.").ToString();
    }

    private static string CommitMessage(TaskAssignment task, string summary) =>
        $"""
        {task.Title}

        {summary}

        Orchestrator-Feature: {task.FeatureId}
        Orchestrator-Task: {task.TaskId}
        Orchestrator-Attempt: {task.Attempt}
        Orchestrator-Model: {task.Model.Description}
        """;

    // Failures the agent can explain become TaskFailed; anything else is a bug or an outage: MassTransit retries, then faults.
    private string? FailureReason(Exception exception, TaskAssignment task, CancellationToken token) => exception switch
    {
        OperationCanceledException when token.IsCancellationRequested && time.GetUtcNow() >= task.Deadline =>
            $"the task ran past its deadline ({task.Deadline:u})",
        OperationCanceledException when token.IsCancellationRequested => "the task was cancelled",
        AgentTaskException ex => ex.Message,
        ScriptedModelException ex => ex.Message,
        ModelCallLimitException ex => ex.Message,
        GitCommandException ex => $"git failed: {ex.Message}",
        WorkspacePathException ex => ex.Message,
        _ => null,
    };

    private void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
                {
                    File.SetAttributes(file, FileAttributes.Normal);
                }

                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(logger, directory, ex.Message);
        }
    }

    // The per-feature folder goes when its last attempt on this instance is done.
    private static void TryDeleteIfEmpty(string directory)
    {
        try
        {
            if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
        catch (IOException)
        {
            // Another attempt of the same feature just started here.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Role} starting task {TaskId} attempt {Attempt} of feature {FeatureId} with model {Model}")]
    private static partial void LogStarting(ILogger logger, AgentRole role, string taskId, int attempt, Guid featureId, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Role} completed task {TaskId}: commit {Commit}")]
    private static partial void LogCompleted(ILogger logger, AgentRole role, string taskId, string commit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Role} failed task {TaskId}: {Reason}")]
    private static partial void LogFailed(ILogger logger, AgentRole role, string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete workspace {Directory}: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string directory, string reason);
}

/// <summary>A task attempt failed for a reason the agent can state.</summary>
public sealed class AgentTaskException(string message) : Exception(message);
