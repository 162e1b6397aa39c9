using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orchestrator.AppHost;

/// <summary>
/// Starts a service again when its process dies (a non-zero exit: a crash, an out-of-memory kill, <c>kill -9</c>), after a
/// back-off that doubles from 1 s to 30 s and resets once it has run for a minute. Aspire itself leaves a dead process
/// Exited; in Kubernetes the Deployments do this. A service that stops cleanly (exit code 0, e.g. stopped from the
/// dashboard) stays stopped. Each restart is logged and shows in the dashboard as the resource starting again.
/// </summary>
internal sealed partial class ResourceSupervisor(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    ILogger<ResourceSupervisor> logger) : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Supervised> _supervised = new(StringComparer.Ordinal);

    public static readonly IReadOnlySet<string> Services = new HashSet<string>(StringComparer.Ordinal)
    {
        ResourceNames.Orchestrator, ResourceNames.Coder, ResourceNames.Tester, ResourceNames.Docs, ResourceNames.Merge,
        ResourceNames.Reviewer,
    };

    private sealed class Supervised
    {
        public int Restarts { get; set; }
        public DateTimeOffset? RunningSince { get; set; }
        public bool Restarting { get; set; }

        /// <summary>The exit already handled: snapshots repeat, and one death must cause one restart.</summary>
        public DateTime? HandledStop { get; set; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var change in notifications.WatchAsync(stoppingToken))
        {
            if (!Services.Contains(change.Resource.Name))
            {
                continue;
            }

            var state = _supervised.GetOrAdd(change.ResourceId, _ => new Supervised());
            var text = change.Snapshot.State?.Text;
            if (text == KnownResourceStates.Running)
            {
                state.RunningSince ??= DateTimeOffset.UtcNow;
            }
            else if (text is "Exited" or "Finished" or "FailedToStart" && change.Snapshot.ExitCode is not (null or 0)
                     && !state.Restarting && state.HandledStop != change.Snapshot.StopTimeStamp
                     && !lifetime.ApplicationStopping.IsCancellationRequested)
            {
                state.Restarting = true;
                state.HandledStop = change.Snapshot.StopTimeStamp;
                _ = RestartAsync(change.Resource.Name, change.ResourceId, change.Snapshot.ExitCode.Value, state, stoppingToken);
            }
        }
    }

    private async Task RestartAsync(string name, string resourceId, int exitCode, Supervised state, CancellationToken stoppingToken)
    {
        try
        {
            if (state.RunningSince is { } since && DateTimeOffset.UtcNow - since >= StableAfter)
            {
                state.Restarts = 0;
            }

            var delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Min(state.Restarts, 5)));
            state.Restarts++;
            state.RunningSince = null;
            LogRestarting(logger, name, exitCode, state.Restarts, delay.TotalSeconds);
            await Task.Delay(delay, stoppingToken);
            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
            {
                LogRestartFailed(logger, name, result.Message ?? "no reason given");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The AppHost is stopping: nothing to restart.
        }
        finally
        {
            state.Restarting = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Resource} exited with code {ExitCode}; starting it again (restart {Restart}) in {Seconds:0} s")]
    private static partial void LogRestarting(ILogger logger, string resource, int exitCode, int restart, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Resource} could not be started again: {Reason}")]
    private static partial void LogRestartFailed(ILogger logger, string resource, string reason);
}
