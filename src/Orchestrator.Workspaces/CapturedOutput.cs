using System.Text;
using CliWrap;

namespace Orchestrator.Workspaces;

// Decodes a pipe into the shared OutputBuffer. It reads until the pipe closes, or until the drain deadline: a
// grandchild that escaped the tree kill (daemonised, re-parented) can hold the pipe open forever. CliWrap's own token
// is not used: after a kill, what the process wrote before it died is what tells why.
internal sealed class CapturedOutput(OutputBuffer output, CancellationToken drainDeadline) : PipeTarget
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public override async Task CopyFromAsync(Stream origin, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(origin, Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        var buffer = new char[4096];
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(buffer.AsMemory(), drainDeadline).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                output.Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Abandoned on purpose (a grandchild holding the pipe) or the pipe broke; what we have is kept.
        }
    }
}
