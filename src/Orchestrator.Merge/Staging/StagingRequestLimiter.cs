using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Orchestrator.Merge.Staging;

/// <summary>
/// The git endpoint's concurrency cap: every request holds a slot while its <c>git http-backend</c> runs. Requests
/// beyond the cap wait in line (a clone burst when a feature starts), and beyond the line are refused.
/// </summary>
public sealed class StagingRequestLimiter(IOptions<StagingOptions> options) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.MaxConcurrentRequests,
        QueueLimit = options.Value.MaxQueuedRequests,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>A slot, once one is free; a lease that is not acquired means the line is full.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}
