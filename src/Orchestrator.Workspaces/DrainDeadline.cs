using System.Diagnostics;

namespace Orchestrator.Workspaces;

// Starts counting when the process itself exits, however long its pipes stay open.
internal sealed class DrainDeadline : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _deadline = new();
    private bool _disposed;

    public CancellationToken Token => _deadline.Token;

    // CliWrap hands us the process once it has started, with exit events already enabled.
    public void StartWhenExited(Process process)
    {
        process.Exited += (_, _) => Start();
        if (process.HasExited)
        {
            Start();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _deadline.Dispose();
        }
    }

    private void Start()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _deadline.CancelAfter(Grace);
            }
        }
    }
}
