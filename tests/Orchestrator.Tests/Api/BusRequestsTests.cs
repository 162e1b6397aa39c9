using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Contracts;
using Orchestrator.Http;

namespace Orchestrator.Tests.Api;

/// <summary>
/// A request whose reply is lost (as after a broker restart, before the reply queue is back) is sent again within
/// its time limit; one never answered still ends in <see cref="RequestTimeoutException"/>.
/// </summary>
public sealed class BusRequestsTests
{
    [Fact]
    public async Task A_request_whose_first_answer_is_lost_is_answered_by_the_next_attempt()
    {
        await using var provider = Harness(answerFrom: 2);
        var harness = await StartAsync(provider);

        var response = await BusRequests.GetResponseAsync<CheckRepository, RepositoryChecked>(
            harness.GetRequestClient<CheckRepository>(), new CheckRepository("/repos/a.git", "main"), TimeSpan.FromSeconds(6),
            TestContext.Current.CancellationToken);

        Assert.True(response.Message.Reachable);
        // The first went unanswered; a later attempt was (the second, unless a reply took longer than its 2 s).
        Assert.InRange(provider.GetRequiredService<SilentFirst>().Received, 2, BusRequests.Attempts);
    }

    [Fact]
    public async Task A_request_never_answered_times_out_after_every_attempt()
    {
        await using var provider = Harness(answerFrom: int.MaxValue);
        var harness = await StartAsync(provider);

        await Assert.ThrowsAsync<RequestTimeoutException>(() => BusRequests.GetResponseAsync<CheckRepository, RepositoryChecked>(
            harness.GetRequestClient<CheckRepository>(), new CheckRepository("/repos/a.git", "main"), TimeSpan.FromMilliseconds(600),
            TestContext.Current.CancellationToken));

        // Every attempt was sent; the last may still be on its way to the consumer when the caller gives up.
        await Eventually.TrueAsync(() => provider.GetRequiredService<SilentFirst>().Received == BusRequests.Attempts, "every attempt to arrive");
    }

    private static ServiceProvider Harness(int answerFrom) => new ServiceCollection()
        .AddSingleton(new SilentFirst(answerFrom))
        .AddMassTransitTestHarness(x =>
        {
            x.DisableUsageTelemetry();
            x.AddConsumer<CheckRepositoryStub>();
        })
        .BuildServiceProvider(true);

    private static async Task<ITestHarness> StartAsync(ServiceProvider provider)
    {
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start().WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        return harness;
    }

    /// <summary>Counts the requests; answers none before the <c>answerFrom</c>-th, as if the replies were dropped.</summary>
    public sealed class SilentFirst(int answerFrom)
    {
        private int _received;

        public int Received => Volatile.Read(ref _received);

        public bool Answers() => Interlocked.Increment(ref _received) >= answerFrom;
    }

    public sealed class CheckRepositoryStub(SilentFirst silence) : IConsumer<CheckRepository>
    {
        public Task Consume(ConsumeContext<CheckRepository> context) =>
            silence.Answers() ? context.RespondAsync(new RepositoryChecked(true, true, null)) : Task.CompletedTask;
    }
}
