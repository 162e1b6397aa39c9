using MassTransit;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;

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
    private readonly HashSet<string> _published = [];

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
        var active = await features.ListAsync(f => !FeatureStateMachine.FinalStates.Contains(f.CurrentState), cancellationToken);
        foreach (var feature in active)
        {
            if (feature.StageDeadline is { } stageDeadline && stageDeadline <= now
                && _published.Add($"{feature.CorrelationId}/{feature.CurrentState}/{stageDeadline:O}"))
            {
                LogStageOverdue(logger, feature.CorrelationId, feature.CurrentState);
                await bus.Publish(new FeatureStageTimedOut(feature.CorrelationId, feature.CurrentState, stageDeadline), cancellationToken);
            }

            foreach (var task in feature.Tasks.Where(t => t.State == FeatureTaskState.Running && t.Deadline <= now))
            {
                if (_published.Add($"{feature.CorrelationId}/{task.TaskId}/{task.Attempts}"))
                {
                    LogTaskOverdue(logger, feature.CorrelationId, task.TaskId, task.Attempts);
                    await bus.Publish(new TaskTimedOut(feature.CorrelationId, task.TaskId, task.Attempts, task.Deadline!.Value), cancellationToken);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: stage {Stage} passed its deadline")]
    private static partial void LogStageOverdue(ILogger logger, Guid featureId, string stage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: task {TaskId} attempt {Attempt} passed its deadline")]
    private static partial void LogTaskOverdue(ILogger logger, Guid featureId, string taskId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deadline scan failed; retrying at the next tick")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
