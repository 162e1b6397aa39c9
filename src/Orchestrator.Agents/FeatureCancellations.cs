using System.Collections.Concurrent;
using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.Agents;

/// <summary>Cancellation of the task attempts this instance is running, by feature.</summary>
public sealed class FeatureCancellations
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<CancellationTokenSource, byte>> _running = new();

    /// <summary>A token that fires when the feature is cancelled, the message is abandoned, or the deadline passes.</summary>
    public Lease Track(Guid featureId, CancellationToken messageToken, TimeSpan untilDeadline)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(messageToken);
        source.CancelAfter(untilDeadline > TimeSpan.Zero ? untilDeadline : TimeSpan.Zero);
        _running.GetOrAdd(featureId, _ => new()).TryAdd(source, 0);
        return new Lease(this, featureId, source);
    }

    public void Cancel(Guid featureId)
    {
        if (_running.TryGetValue(featureId, out var sources))
        {
            foreach (var source in sources.Keys)
            {
                try
                {
                    source.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The attempt ended between the lookup and the cancel: nothing left to stop.
                }
            }
        }
    }

    private void Release(Guid featureId, CancellationTokenSource source)
    {
        if (_running.TryGetValue(featureId, out var sources))
        {
            sources.TryRemove(source, out _);
        }

        source.Dispose();
    }

    public sealed class Lease(FeatureCancellations owner, Guid featureId, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose() => owner.Release(featureId, source);
    }
}
