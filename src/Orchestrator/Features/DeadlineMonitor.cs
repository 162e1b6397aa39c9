using MassTransit;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.StateMachines;

namespace Orchestrator.Features;

/// <summary>
/// Enforces deadlines without a message scheduler (the broker here has no delayed-exchange plugin): the saga writes
/// each running task's and stage's deadline into its state; this monitor scans the state store and publishes
/// <see cref="TaskTimedOut"/> / <see cref="FeatureStageTimedOut"/> for those that passed. The state store is durable,
/// so deadlines survive a restart. Publishing twice is harmless: the saga ignores stale attempts.
/// </summary>
public sealed partial class DeadlineMonitor(
    FeatureReader features,
    IBus bus,
    IOptions<FeatureWorkflowOptions> options,
    TimeProvider time,
    ILogger<DeadlineMonitor> logger) : BackgroundService
{
    // What was published for deadlines that are still overdue in the store; rebuilt on every scan, so it holds only
    // the overdue items of the last scan, not every deadline ever missed.
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
            if (feature.StageDeadline is { } stageDeadline && stageDeadline <= now)
            {
                var key = $"{feature.CorrelationId}/{feature.CurrentState}/{stageDeadline:O}";
                if (stillOverdue.Add(key) && !_published.Contains(key))
                {
                    LogStageOverdue(logger, feature.CorrelationId, feature.CurrentState);
                    await bus.Publish(new FeatureStageTimedOut(feature.CorrelationId, feature.CurrentState, stageDeadline), cancellationToken);
                }
            }

            foreach (var task in feature.Tasks.Where(t => t.State == FeatureTaskState.Running && t.Deadline <= now))
            {
                var key = $"{feature.CorrelationId}/{task.TaskId}/{task.Attempts}";
                if (stillOverdue.Add(key) && !_published.Contains(key))
                {
                    LogTaskOverdue(logger, feature.CorrelationId, task.TaskId, task.Attempts);
                    await bus.Publish(new TaskTimedOut(feature.CorrelationId, task.TaskId, task.Attempts, task.Deadline!.Value), cancellationToken);
                }
            }
        }

        _published = stillOverdue;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: stage {Stage} passed its deadline")]
    private static partial void LogStageOverdue(ILogger logger, Guid featureId, string stage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: task {TaskId} attempt {Attempt} passed its deadline")]
    private static partial void LogTaskOverdue(ILogger logger, Guid featureId, string taskId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deadline scan failed; retrying at the next tick")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
