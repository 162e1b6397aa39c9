using System.Diagnostics;

namespace Orchestrator.Workspaces;

// Starts counting when the process itself exits, however long its pipes stay open.
internal sealed class DrainDeadline : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private readonly Lock gate = new();
    private readonly CancellationTokenSource deadline = new();
    private bool disposed;

    public CancellationToken Token => deadline.Token;

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
        lock (gate)
        {
            disposed = true;
            deadline.Dispose();
        }
    }

    private void Start()
    {
        lock (gate)
        {
            if (!disposed)
            {
                deadline.CancelAfter(Grace);
            }
        }
    }
}
