using System.Text;

namespace Orchestrator.Workspaces;

// Both pipes append here, so the kept text is the interleaving the process produced (at chunk granularity).
// The head says what the process was doing and the tail says how it ended; the middle is what we can lose.
internal sealed class OutputBuffer
{
    private readonly Lock gate = new();
    private readonly int headCapacity;
    private readonly int tailCapacity;
    private readonly StringBuilder head = new();
    private readonly StringBuilder tail = new();
    private long total;

    public OutputBuffer(int maxChars)
    {
        var capacity = Math.Max(0, maxChars);
        headCapacity = capacity / 2;
        tailCapacity = capacity - headCapacity;
    }

    public void Append(ReadOnlySpan<char> chunk)
    {
        lock (gate)
        {
            AppendUnlocked(chunk);
        }
    }

    public void AppendLine(string line)
    {
        lock (gate)
        {
            var needsBreak = total > 0 && !EndsWithNewLine();
            AppendUnlocked((needsBreak ? "\n" : string.Empty) + line + "\n");
        }
    }

    public override string ToString()
    {
        lock (gate)
        {
            var keptTail = Math.Min(tail.Length, tailCapacity);
            var truncated = total - head.Length - keptTail;
            if (truncated <= 0)
            {
                return head.ToString() + tail;
            }

            var text = new StringBuilder(head.Length + keptTail + 64);
            text.Append(head);
            if (head.Length > 0 && head[^1] != '\n')
            {
                text.Append('\n');
            }

            text.Append("... [").Append(truncated).Append(" characters truncated] ...\n");
            text.Append(tail.ToString(tail.Length - keptTail, keptTail));
            return text.ToString();
        }
    }

    private void AppendUnlocked(ReadOnlySpan<char> chunk)
    {
        total += chunk.Length;

        var toHead = Math.Min(headCapacity - head.Length, chunk.Length);
        if (toHead > 0)
        {
            head.Append(chunk[..toHead]);
            chunk = chunk[toHead..];
        }

        if (chunk.IsEmpty)
        {
            return;
        }

        if (chunk.Length >= tailCapacity)
        {
            tail.Clear();
            tail.Append(chunk[^tailCapacity..]);
            return;
        }

        tail.Append(chunk);

        // Trimming only when the tail has doubled keeps appends amortised O(1).
        if (tail.Length > tailCapacity * 2)
        {
            tail.Remove(0, tail.Length - tailCapacity);
        }
    }

    private bool EndsWithNewLine()
    {
        if (tail.Length > 0)
        {
            return tail[^1] == '\n';
        }

        return head.Length > 0 && head[^1] == '\n';
    }
}
