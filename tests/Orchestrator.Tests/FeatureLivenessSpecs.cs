using Orchestrator.Contracts;
using Orchestrator.Features;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests;

/// <summary>
/// Liveness in the saga: a task is queued until an agent instance takes it, runs there while it sends heartbeats, and is
/// dispatched again when the deadline monitor finds it silent; consolidation is watched the same way.
/// </summary>
public sealed class FeatureLivenessSpecs
{
    private const string FirstCoder = "coder@pod-a/7";
    private const string SecondCoder = "coder@pod-b/9";
    private static readonly PlannedTask Implement = Planned("implement", AgentRole.Coder);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_dispatched_task_is_queued_until_an_agent_takes_it_and_then_runs_on_that_instance()
    {
        await using var h = await StartAsync(o => o.HeartbeatInterval = Interval);
        await h.SubmitAsync();
        await h.PlanAsync(Implement);

        var assignment = await h.DispatchedAsync("implement");
        await h.WaitForConsumedAsync<FeaturePlanned>();
        Assert.Equal(Interval, assignment.HeartbeatInterval);
        var queued = h.Instance!.FindTask("implement")!;
        Assert.Equal((FeatureTaskState.Queued, null), (queued.State, queued.Instance));

        h.Time.Advance(TimeSpan.FromSeconds(35));
        await h.PublishAsync(h.Started("implement", 1, FirstCoder));
        await h.WaitForConsumedAsync<TaskStarted>();

        var running = h.Instance!.FindTask("implement")!;
        Assert.Equal((FeatureTaskState.Running, FirstCoder), (running.State, running.Instance));
        Assert.Equal(h.Time.GetUtcNow(), running.LastSeen);
    }

    [Fact]
    public async Task A_heartbeat_moves_the_time_the_task_was_last_seen()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        await h.PublishAsync(h.Started("implement", 1, FirstCoder));
        await h.WaitForConsumedAsync<TaskStarted>();

        h.Time.Advance(Interval);
        await h.PublishAsync(new TaskHeartbeat(h.FeatureId, "implement", 1, FirstCoder, DateTimeOffset.UnixEpoch));
        await h.WaitForConsumedAsync<TaskHeartbeat>();

        // By the orchestrator's clock, not the agent's (which says 1970 here).
        Assert.Equal(h.Time.GetUtcNow(), h.Instance!.FindTask("implement")!.LastSeen);
    }

    [Fact]
    public async Task A_silent_task_is_declared_lost_and_dispatched_again_with_the_reason_recorded()
    {
        await using var h = await StartAsync(o => (o.HeartbeatInterval, o.MaxTaskAttempts) = (Interval, 2));
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        await h.PublishAsync(h.Started("implement", 1, FirstCoder));
        await h.WaitForConsumedAsync<TaskStarted>();
        var lastSeen = h.Time.GetUtcNow();

        h.Time.Advance(Interval * 3);
        await h.Monitor.ScanAsync(CancellationToken.None);

        var lost = await h.PublishedAsync<TaskLost>(m => m.FeatureId == h.FeatureId);
        Assert.Equal(("implement", 1, lastSeen), (lost.TaskId, lost.Attempt, lost.LastSeen));
        await h.DispatchedAsync("implement", attempt: 2);
        await h.WaitForConsumedAsync<TaskLost>();
        var task = h.Instance!.FindTask("implement")!;
        Assert.Equal((FeatureTaskState.Queued, 2, null), (task.State, task.Attempts, task.Instance));
        Assert.Equal([$"attempt 1: lost: no heartbeat from {FirstCoder} since 2026-01-01 12:00:00Z"], task.EarlierFailures);
        Assert.Equal("Executing", h.Instance.CurrentState);
    }

    [Fact]
    public async Task A_task_lost_on_its_last_attempt_fails_the_feature_with_the_reason()
    {
        await using var h = await StartAsync(o => (o.HeartbeatInterval, o.MaxTaskAttempts) = (Interval, 1));
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        await h.PublishAsync(h.Started("implement", 1, FirstCoder));
        await h.WaitForConsumedAsync<TaskStarted>();

        h.Time.Advance(Interval * 3);
        await h.Monitor.ScanAsync(CancellationToken.None);

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Equal(
            $"Task 'implement' (Coder) failed after 1 attempt: lost: no heartbeat from {FirstCoder} since 2026-01-01 12:00:00Z",
            h.Instance!.FailureReason);
        Assert.Single(h.Dispatched());
    }

    [Fact]
    public async Task A_loss_report_is_ignored_once_the_task_was_heard_from_again_or_moved_on_to_another_attempt()
    {
        await using var h = await StartAsync(o => (o.HeartbeatInterval, o.MaxTaskAttempts) = (Interval, 3));
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        await h.PublishAsync(h.Started("implement", 1, FirstCoder));
        await h.WaitForConsumedAsync<TaskStarted>();
        var started = h.Time.GetUtcNow();

        // The heartbeat overtakes the monitor's report, which was made from what it read before.
        h.Time.Advance(Interval * 3);
        await h.PublishAsync(new TaskHeartbeat(h.FeatureId, "implement", 1, FirstCoder, h.Time.GetUtcNow()));
        await h.WaitForConsumedAsync<TaskHeartbeat>();
        await h.PublishAsync(new TaskLost(h.FeatureId, "implement", 1, started));
        await h.WaitForConsumedAsync<TaskLost>();
        var heard = h.Instance!.FindTask("implement")!;
        Assert.Equal((FeatureTaskState.Running, 1), (heard.State, heard.Attempts));

        await h.PublishAsync(new TaskFailed(h.FeatureId, "implement", 1, "build broke", TokenUsage.None));
        await h.DispatchedAsync("implement", attempt: 2);
        await h.WaitForConsumedAsync<TaskFailed>();

        // The superseded attempt's instance comes back late: its reports change nothing.
        await h.PublishAsync(new TaskHeartbeat(h.FeatureId, "implement", 1, FirstCoder, h.Time.GetUtcNow()));
        await h.PublishAsync(new TaskLost(h.FeatureId, "implement", 1, h.Time.GetUtcNow()));
        await h.WaitForConsumedAsync<TaskHeartbeat>(2);
        await h.WaitForConsumedAsync<TaskLost>(2);
        var task = h.Instance!.FindTask("implement")!;
        Assert.Equal((FeatureTaskState.Queued, 2, null), (task.State, task.Attempts, task.Instance));
        Assert.Equal(2, h.Dispatched().Count);
    }

    [Fact]
    public async Task A_heartbeat_of_a_queued_attempt_whose_start_went_missing_marks_it_running()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(Implement);

        await h.PublishAsync(new TaskHeartbeat(h.FeatureId, "implement", 1, SecondCoder, h.Time.GetUtcNow()));
        await h.WaitForConsumedAsync<TaskHeartbeat>();

        var task = h.Instance!.FindTask("implement")!;
        Assert.Equal((FeatureTaskState.Running, SecondCoder), (task.State, task.Instance));
    }
}
