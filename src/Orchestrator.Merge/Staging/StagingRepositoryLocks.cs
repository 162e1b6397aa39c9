namespace Orchestrator.Merge.Staging;

/// <summary>
/// One writer of a feature's staging repository at a time in this service. <c>PrepareWorkRepository</c> is delivered
/// again now and then (a lost acknowledgement, a duplicate) and the queue's consumers run in parallel: two
/// preparations of one feature side by side raced in <c>git init</c> and the fetch, and the loser failed the feature.
/// One after the other, the second finds the repository and fetches again, which is harmless.
/// </summary>
public sealed class StagingRepositoryLocks
{
    private readonly Dictionary<Guid, Holders> _locks = [];
    private readonly Lock _gate = new();

    private sealed class Holders
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>The ones holding or waiting for it; the lock is dropped when the last one leaves.</summary>
        public int Count { get; set; }
    }

    /// <summary>Waits until this caller alone works on <paramref name="featureId"/>'s repository; dispose to let the next in.</summary>
    public async Task<IDisposable> AcquireAsync(Guid featureId, CancellationToken cancellationToken)
    {
        Holders holders;
        lock (_gate)
        {
            holders = _locks.TryGetValue(featureId, out var existing) ? existing : _locks[featureId] = new Holders();
            holders.Count++;
        }

        try
        {
            await holders.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(featureId, holders, held: false);
            throw;
        }

        return new Lease(() => Leave(featureId, holders, held: true));
    }

    private void Leave(Guid featureId, Holders holders, bool held)
    {
        lock (_gate)
        {
            if (held)
            {
                holders.Semaphore.Release();
            }

            if (--holders.Count == 0)
            {
                _locks.Remove(featureId);
                holders.Semaphore.Dispose();
            }
        }
    }

    private sealed class Lease(Action release) : IDisposable
    {
        private Action? _release = release;

        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }
}
