namespace Orchestrator.Agents.Tests;

public sealed class FeatureCancellationsTests
{
    private static readonly TimeSpan Later = TimeSpan.FromMinutes(10);

    [Fact]
    public void Cancelling_a_feature_cancels_its_running_attempts_only()
    {
        var cancellations = new FeatureCancellations();
        var feature = Guid.NewGuid();
        using var first = cancellations.Track(feature, CancellationToken.None, Later);
        using var second = cancellations.Track(feature, CancellationToken.None, Later);
        using var other = cancellations.Track(Guid.NewGuid(), CancellationToken.None, Later);

        cancellations.Cancel(feature);

        Assert.True(first.Token.IsCancellationRequested);
        Assert.True(second.Token.IsCancellationRequested);
        Assert.False(other.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task The_token_fires_at_the_deadline()
    {
        var cancellations = new FeatureCancellations();
        using var lease = cancellations.Track(Guid.NewGuid(), CancellationToken.None, TimeSpan.FromMilliseconds(100));

        await Task.Delay(Timeout.Infinite, lease.Token).ContinueWith(_ => { }, TaskScheduler.Default)
            .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(lease.Token.IsCancellationRequested);
    }

    [Fact]
    public void A_deadline_already_past_gives_a_cancelled_token()
    {
        using var lease = new FeatureCancellations().Track(Guid.NewGuid(), CancellationToken.None, TimeSpan.FromSeconds(-5));

        Assert.True(lease.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void The_token_fires_when_the_message_is_abandoned()
    {
        using var message = new CancellationTokenSource();
        using var lease = new FeatureCancellations().Track(Guid.NewGuid(), message.Token, Later);

        message.Cancel();

        Assert.True(lease.Token.IsCancellationRequested);
    }

    [Fact]
    public void A_finished_attempt_is_no_longer_cancelled_with_its_feature()
    {
        var cancellations = new FeatureCancellations();
        var feature = Guid.NewGuid();
        var finished = cancellations.Track(feature, CancellationToken.None, Later);
        var token = finished.Token;
        finished.Dispose();
        using var running = cancellations.Track(feature, CancellationToken.None, Later);

        cancellations.Cancel(feature);

        Assert.False(token.IsCancellationRequested);
        Assert.True(running.Token.IsCancellationRequested);
    }
}
