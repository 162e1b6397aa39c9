using MassTransit;
using Polly;
using Polly.Retry;

namespace Orchestrator.Http;

/// <summary>
/// A request over the bus that is safe to send again — a read, or a command the saga answers the same way twice — sent
/// again when its answer does not come. Why: after the broker restarts, each receive endpoint of a service reconnects
/// on its own back-off (MassTransit's RabbitMQ transport waits up to 30 s between attempts), so for a while this
/// service's reply queue may not exist yet and a reply sent to it is dropped. Measured: the first submission after a
/// 10 s broker outage waited out its whole timeout; one sent 10 s later was answered at once.
/// </summary>
public static class BusRequests
{
    /// <summary>How many times a request is sent within its time limit.</summary>
    public const int Attempts = 3;

    // Stateless, so built once for every request; each attempt's own timeout is the wait between attempts.
    private static readonly ResiliencePipeline Resend = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RequestTimeoutException>(),
            MaxRetryAttempts = Attempts - 1,
            Delay = TimeSpan.Zero,
        })
        .Build();

    /// <summary>
    /// The response to <paramref name="message"/>, sent up to <see cref="Attempts"/> times, each allowed an equal share of
    /// <paramref name="limit"/>; throws <see cref="RequestTimeoutException"/> when none was answered.
    /// </summary>
    public static async Task<Response<TResponse>> GetResponseAsync<TRequest, TResponse>(
        IRequestClient<TRequest> client, TRequest message, TimeSpan limit, CancellationToken cancellationToken)
        where TRequest : class
        where TResponse : class
    {
        var each = RequestTimeout.After(ms: (int)(limit / Attempts).TotalMilliseconds);
        return await Resend.ExecuteAsync(
            async token => await client.GetResponse<TResponse>(message, token, each).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }
}
