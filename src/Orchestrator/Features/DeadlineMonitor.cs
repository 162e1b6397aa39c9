using MassTransit;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.StateMachines;

namespace Orchestrator.Features;

/// <summary>
/// Enforces deadlines and liveness without a message scheduler (the broker here has no delayed-exchange plugin): the
/// saga writes each task's and stage's deadline, and when it last heard from the instance running a task or a
/// consolidation, into its state; this monitor scans the state store and publishes <see cref="TaskTimedOut"/> /
/// <see cref="FeatureStageTimedOut"/> for deadlines that passed and <see cref="TaskLost"/> / <see cref="ConsolidationLost"/>
/// for running work silent for <see cref="FeatureWorkflowOptions.LostAfter"/>. Queued work is never lost (waiting in a
/// queue is legitimate; its deadline still bounds it). The state store is durable, so all of this survives a restart.
/// Publishing twice is harmless: the saga ignores stale attempts and reports older than what it last heard.
/// </summary>
public sealed partial class DeadlineMonitor(
    FeatureReader features,
    IBus bus,
    IOptions<FeatureWorkflowOptions> options,
    TimeProvider time,
    ILogger<DeadlineMonitor> logger) : BackgroundService
{
    // What was published for items that are still overdue in the store; rebuilt on every scan, so it holds only the
    // overdue items of the last scan, not every deadline ever missed.
    private HashSet<string> _published = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DeadlineScanInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ScanAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogScanFailed(logger, ex);
            }
        }
    }

    public async Task ScanAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stillOverdue = new HashSet<string>();
        foreach (var feature in await features.ListActiveAsync(cancellationToken))
        {
            foreach (var (key, message) in Overdue(feature, now))
            {
                if (stillOverdue.Add(key) && !_published.Contains(key))
                {
                    Log(message);
                    await bus.Publish(message, cancellationToken);
                }
            }
        }

        _published = stillOverdue;
    }

    /// <summary>What is overdue in one feature, each with a key that changes when the saga moves on (a new attempt, a heartbeat).</summary>
    private IEnumerable<(string Key, object Message)> Overdue(FeatureState feature, DateTimeOffset now)
    {
        var id = feature.CorrelationId;
        var silentSince = now - options.Value.LostAfter;
        if (feature.StageDeadline is { } stageDeadline && stageDeadline <= now)
        {
            yield return ($"{id}/{feature.CurrentState}/{stageDeadline:O}", new FeatureStageTimedOut(id, feature.CurrentState, stageDeadline));
        }

        foreach (var task in feature.Tasks.Where(t => t.IsDispatched))
        {
            if (task.Deadline is { } deadline && deadline <= now)
            {
                yield return ($"{id}/{task.TaskId}/{task.Attempts}", new TaskTimedOut(id, task.TaskId, task.Attempts, deadline));
            }
            else if (task is { State: FeatureTaskState.Running, LastSeen: { } seen } && seen <= silentSince)
            {
                yield return ($"{id}/{task.TaskId}/{task.Attempts}/lost/{seen:O}", new TaskLost(id, task.TaskId, task.Attempts, seen));
            }
        }

        if (feature.CurrentState == nameof(FeatureStateMachine.Consolidating)
            && feature.Consolidation is { LastSeen: { } lastSeen } round && lastSeen <= silentSince)
        {
            yield return ($"{id}/consolidation/{round.Attempts}/lost/{lastSeen:O}", new ConsolidationLost(id, lastSeen));
        }
    }

    private void Log(object overdue)
    {
        switch (overdue)
        {
            case FeatureStageTimedOut stage:
                LogStageOverdue(logger, stage.FeatureId, stage.Stage);
                break;
            case TaskTimedOut task:
                LogTaskOverdue(logger, task.FeatureId, task.TaskId, task.Attempt);
                break;
            case TaskLost task:
                LogTaskLost(logger, task.FeatureId, task.TaskId, task.Attempt, task.LastSeen);
                break;
            case ConsolidationLost consolidation:
                LogConsolidationLost(logger, consolidation.FeatureId, consolidation.LastSeen);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: stage {Stage} passed its deadline")]
    private static partial void LogStageOverdue(ILogger logger, Guid featureId, string stage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: task {TaskId} attempt {Attempt} passed its deadline")]
    private static partial void LogTaskOverdue(ILogger logger, Guid featureId, string taskId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: task {TaskId} attempt {Attempt} is lost (no heartbeat since {LastSeen:u})")]
    private static partial void LogTaskLost(ILogger logger, Guid featureId, string taskId, int attempt, DateTimeOffset lastSeen);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: consolidation is lost (no heartbeat since {LastSeen:u})")]
    private static partial void LogConsolidationLost(ILogger logger, Guid featureId, DateTimeOffset lastSeen);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deadline scan failed; retrying at the next tick")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
