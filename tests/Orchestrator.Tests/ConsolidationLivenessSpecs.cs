using Orchestrator.Contracts;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests;

/// <summary>
/// Liveness of consolidation in the saga: the merge instance that took the request is recorded with its heartbeats, and
/// a silent one gets the request sent again (bounded by Features:MaxTaskAttempts) or fails the feature.
/// </summary>
public sealed class ConsolidationLivenessSpecs
{
    private const string FirstMerge = "merge@pod-m/3";
    private static readonly PlannedTask Implement = Planned("implement", AgentRole.Coder);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_silent_consolidation_is_sent_again_with_a_fresh_deadline()
    {
        await using var h = await StartAsync(o => (o.HeartbeatInterval, o.MaxTaskAttempts) = (Interval, 2));
        var first = await ConsolidatingAsync(h);
        Assert.Equal(Interval, first.HeartbeatInterval);

        await h.PublishAsync(new ConsolidationStarted(h.FeatureId, FirstMerge, h.Time.GetUtcNow()));
        await h.WaitForConsumedAsync<ConsolidationStarted>();
        Assert.Equal((1, FirstMerge), (h.Instance!.Consolidation!.Attempts, h.Instance.Consolidation.Instance));

        h.Time.Advance(Interval * 3);
        await h.Monitor.ScanAsync(CancellationToken.None);

        var again = (await h.ConsolidationsAsync(2))[^1];
        await h.WaitForConsumedAsync<ConsolidationLost>();
        // Records compare lists by reference: their contents are compared on their own.
        Assert.Equal(first with { Tasks = again.Tasks, AlreadyMerged = again.AlreadyMerged, InstructionFiles = again.InstructionFiles }, again);
        Assert.Equal(first.AlreadyMerged, again.AlreadyMerged);
        Assert.Equal(first.InstructionFiles, again.InstructionFiles);
        Assert.Equal(first.Tasks.Select(t => t.Commit), again.Tasks.Select(t => t.Commit));
        var round = h.Instance!.Consolidation!;
        Assert.Equal((2, null), (round.Attempts, round.Instance));
        Assert.Equal([$"attempt 1: lost: no heartbeat from {FirstMerge} since 2026-01-01 12:00:00Z"], round.EarlierFailures);
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromMinutes(30), h.Instance.StageDeadline);
        Assert.Equal("Consolidating", h.Instance.CurrentState);
    }

    [Fact]
    public async Task A_consolidation_lost_on_the_last_attempt_fails_the_feature_with_the_reason()
    {
        await using var h = await StartAsync(o => (o.HeartbeatInterval, o.MaxTaskAttempts) = (Interval, 1));
        await ConsolidatingAsync(h);
        await h.PublishAsync(new ConsolidationStarted(h.FeatureId, FirstMerge, h.Time.GetUtcNow()));
        await h.WaitForConsumedAsync<ConsolidationStarted>();

        h.Time.Advance(Interval * 3);
        await h.Monitor.ScanAsync(CancellationToken.None);

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Equal($"Consolidation failed after 1 attempt: lost: no heartbeat from {FirstMerge} since 2026-01-01 12:00:00Z",
            h.Instance!.FailureReason);
        Assert.Single(await h.ConsolidationsAsync());
    }

    [Fact]
    public async Task A_queued_consolidation_is_not_lost_and_a_stale_loss_report_changes_nothing()
    {
        await using var h = await StartAsync(o => (o.HeartbeatInterval, o.MaxTaskAttempts) = (Interval, 3));
        await ConsolidatingAsync(h);

        // Waiting behind another feature's consolidation: only the stage deadline bounds that.
        h.Time.Advance(TimeSpan.FromMinutes(10));
        await h.Monitor.ScanAsync(CancellationToken.None);
        Assert.Empty(h.Harness.PublishedSoFar<ConsolidationLost>());

        await h.PublishAsync(new ConsolidationStarted(h.FeatureId, FirstMerge, h.Time.GetUtcNow()));
        await h.WaitForConsumedAsync<ConsolidationStarted>();
        var started = h.Time.GetUtcNow();
        h.Time.Advance(Interval * 3);
        await h.PublishAsync(new ConsolidationHeartbeat(h.FeatureId, FirstMerge, h.Time.GetUtcNow()));
        await h.WaitForConsumedAsync<ConsolidationHeartbeat>();

        // Made from a read before that heartbeat.
        await h.PublishAsync(new ConsolidationLost(h.FeatureId, started));
        await h.WaitForConsumedAsync<ConsolidationLost>();

        Assert.Single(await h.ConsolidationsAsync());
        Assert.Equal((1, FirstMerge, h.Time.GetUtcNow()),
            (h.Instance!.Consolidation!.Attempts, h.Instance.Consolidation.Instance, h.Instance.Consolidation.LastSeen));
    }

    [Fact]
    public async Task A_new_round_after_a_repair_starts_counting_its_sends_again()
    {
        await using var h = await StartAsync(o => (o.HeartbeatInterval, o.MaxTaskAttempts) = (Interval, 2));
        await ConsolidatingAsync(h);
        await h.PublishAsync(new ConsolidationStarted(h.FeatureId, FirstMerge, h.Time.GetUtcNow()));
        await h.WaitForConsumedAsync<ConsolidationStarted>();
        h.Time.Advance(Interval * 3);
        await h.Monitor.ScanAsync(CancellationToken.None);
        await h.ConsolidationsAsync(2);

        await h.PublishAsync(new VerificationFailed(h.FeatureId, new VerificationResult(false, "dotnet test", "Failed PowerTests.Zero")));
        await h.DispatchedAsync("fix-verification-1");
        await h.PublishAsync(h.Completed("fix-verification-1"));
        await h.ConsolidationsAsync(3);
        await h.WaitForStateAsync(s => s.Consolidating);

        var round = h.Instance!.Consolidation!;
        Assert.Equal((1, null), (round.Attempts, round.Instance));
        Assert.Empty(round.EarlierFailures);
    }

    private static async Task<ConsolidateFeature> ConsolidatingAsync(FeatureSagaHarness h)
    {
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        await h.PublishAsync(h.Completed("implement"));
        await h.WaitForStateAsync(s => s.Consolidating);
        return Assert.Single(await h.ConsolidationsAsync());
    }
}
