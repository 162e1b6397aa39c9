using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Agents.Transcripts;
using Orchestrator.Contracts;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents;

/// <summary>What the work of one attempt is given: its workspace folder (made by the work), its meter, its transcript and the token that stops it.</summary>
public sealed record AttemptScope(string Workspace, UsageMeter Meter, TaskTranscript Transcript, CancellationToken Token);

/// <summary>
/// The frame of every task attempt an agent service runs, whatever the work (a Coder's change, a review): a span; the
/// feature's cancellation and the task's deadline; the meter; <see cref="TaskStarted"/> and heartbeats; the transcript;
/// then the outcome the work returns — or <see cref="TaskFailed"/> with the reason and the tokens spent — published;
/// the metrics; the workspace removed. Nothing is retried here: the saga decides about another attempt.
/// </summary>
public sealed partial class AgentAttempt(
    AgentRoleDefinition role,
    FeatureCancellations cancellations,
    IOptions<AgentOptions> options,
    TimeProvider time,
    IBus bus,
    AgentTaskMetrics metrics,
    ILogger<AgentAttempt> logger)
{
    private static readonly ActivitySource Telemetry = new("Orchestrator");

    private readonly string _instance = Heartbeat.InstanceOf(role.Role.Name);

    public async Task RunAsync(ConsumeContext context, TaskAssignment task, Func<AttemptScope, Task<object>> work)
    {
        using var activity = Telemetry.StartActivity($"{role.Role} task {task.TaskId}");
        activity?.SetTag("orchestrator.feature_id", task.FeatureId);
        activity?.SetTag("orchestrator.task_id", task.TaskId);
        activity?.SetTag("orchestrator.attempt", task.Attempt);

        var started = time.GetTimestamp();
        using var lease = cancellations.Track(task.FeatureId, context.CancellationToken, task.Deadline - time.GetUtcNow());
        var meter = new UsageMeter(options.Value.MaxModelCalls, task.TokenBudget);
        var workspace = Path.Combine(Path.GetFullPath(options.Value.WorkRoot), task.FeatureId.ToString("N"), $"{task.TaskId}-{task.Attempt}-{Guid.NewGuid():N}");
        // Stops before this method returns, so the last heartbeat leaves before the outbox releases the outcome.
        await using var heartbeat = Heartbeat.Start(
            bus,
            new TaskStarted(task.FeatureId, task.TaskId, task.Attempt, _instance, time.GetUtcNow()),
            at => new TaskHeartbeat(task.FeatureId, task.TaskId, task.Attempt, _instance, at),
            task.HeartbeatInterval,
            time,
            logger);
        // Disposed before the heartbeat, and like it before this method returns: the steps leave before the outcome.
        await using var transcript = new TaskTranscript(bus, task, time, logger);
        try
        {
            var outcome = await work(new AttemptScope(workspace, meter, transcript, lease.Token));
            metrics.Record(role.Role, AgentTaskOutcome.Completed, time.GetElapsedTime(started));
            await context.Publish(outcome, outcome.GetType(), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Every failure is reported with the tokens spent, so the saga decides about a retry and the budget holds.
            var reason = context.CancellationToken.IsCancellationRequested
                ? "the agent service stopped before the task finished"
                : FailureReason(ex, task, lease.Token);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            // A task that ran past its deadline failed; one stopped by a cancellation or a shutdown was cancelled.
            var cancelled = ex is OperationCanceledException && lease.Token.IsCancellationRequested && time.GetUtcNow() < task.Deadline;
            metrics.Record(role.Role, cancelled ? AgentTaskOutcome.Cancelled : AgentTaskOutcome.Failed, time.GetElapsedTime(started));
            LogFailed(logger, ex is AgentTaskException or OperationCanceledException ? null : ex, role.Role, task.TaskId, reason);
            await context.Publish(
                new TaskFailed(task.FeatureId, task.TaskId, task.Attempt, reason, meter.Total) { BudgetExceeded = ex is TokenBudgetExceededException },
                CancellationToken.None);
        }
        finally
        {
            CleanUp(workspace);
        }
    }

    // What the saga and the user are told; failures nobody foresaw say so, with the exception's type.
    private string FailureReason(Exception exception, TaskAssignment task, CancellationToken token) => exception switch
    {
        OperationCanceledException when token.IsCancellationRequested && time.GetUtcNow() >= task.Deadline =>
            $"the task ran past its deadline ({task.Deadline:u})",
        OperationCanceledException when token.IsCancellationRequested => "the task was cancelled",
        AgentTaskException ex => ex.Message,
        ModelDeviceException ex => ex.Message,
        ModelCallLimitException ex => ex.Message,
        TokenBudgetExceededException ex => ex.Message,
        ModelEndpointException ex => ex.Message,
        GitCommandException ex => $"git failed: {ex.Message}",
        WorkspacePathException ex => ex.Message,
        _ => $"the agent failed unexpectedly: {exception.GetType().Name}: {exception.Message}",
    };

    // The attempt's workspace goes, and the per-feature folder with it when its last attempt on this instance is done.
    private void CleanUp(string workspace)
    {
        if (options.Value.KeepWorkspaces)
        {
            return;
        }

        if (WorkspaceDirectory.TryDelete(workspace) is { } error)
        {
            LogCleanupFailed(logger, workspace, error);
        }

        var directory = Path.GetDirectoryName(workspace)!;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Role} failed task {TaskId}: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception? exception, AgentRole role, string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete workspace {Directory}: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string directory, string reason);
}
