using Microsoft.Extensions.Logging;

namespace Orchestrator.Observability;

/// <summary>
/// A value read from somewhere slow (the state store, the broker) for an observable instrument, whose callback runs
/// on the exporter's thread and must not wait: it gets the last reading at once, and a reading older than
/// <c>maxAge</c> starts a new one in the background. Nothing is read while nobody collects the metric.
/// </summary>
internal sealed partial class CachedReading<T>(
    Func<CancellationToken, Task<T>> read, T empty, TimeSpan maxAge, TimeProvider time, ILogger logger, string what)
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private T? _value;
    private bool _hasValue;
    private long? _readAt;
    private Task? _reading;

    /// <summary>The last reading (empty before the first and after a failed one); refreshed in the background when stale.</summary>
    public T Current
    {
        get
        {
            lock (_gate)
            {
                if (_reading is null && (_readAt is not { } at || time.GetElapsedTime(at) >= maxAge))
                {
                    // Run, so the reading never completes inline while the gate is held.
                    _reading = Task.Run(ReadAsync);
                }

                return _hasValue ? _value! : empty;
            }
        }
    }

    /// <summary>Reads now and waits for it (the first reading in tests; a reading already under way is awaited instead).</summary>
    public Task RefreshAsync()
    {
        lock (_gate)
        {
            return _reading ??= Task.Run(ReadAsync);
        }
    }

    private async Task ReadAsync()
    {
        T value;
        try
        {
            using var timeout = new CancellationTokenSource(ReadTimeout);
            value = await read(timeout.Token);
        }
        catch (Exception ex)
        {
            // A gap in the dashboard rather than a stale number that looks current.
            LogReadFailed(logger, what, ex.Message);
            value = empty;
        }

        lock (_gate)
        {
            (_value, _hasValue) = (value, true);
            _readAt = time.GetTimestamp();
            _reading = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics: could not read {What}: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string what, string reason);
}
