using System.Text;

namespace Orchestrator.Workspaces;

// Both pipes append here, so the kept text is the interleaving the process produced (at chunk granularity).
// The head says what the process was doing and the tail says how it ended; the middle is what we can lose.
internal sealed class OutputBuffer
{
    private readonly Lock _gate = new();
    private readonly int _headCapacity;
    private readonly int _tailCapacity;
    private readonly StringBuilder _head = new();
    private readonly StringBuilder _tail = new();
    private long _total;

    public OutputBuffer(int maxChars)
    {
        var capacity = Math.Max(0, maxChars);
        _headCapacity = capacity / 2;
        _tailCapacity = capacity - _headCapacity;
    }

    public void Append(ReadOnlySpan<char> chunk)
    {
        lock (_gate)
        {
            AppendUnlocked(chunk);
        }
    }

    public void AppendLine(string line)
    {
        lock (_gate)
        {
            var needsBreak = _total > 0 && !EndsWithNewLine();
            AppendUnlocked((needsBreak ? "\n" : string.Empty) + line + "\n");
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            var keptTail = Math.Min(_tail.Length, _tailCapacity);
            var truncated = _total - _head.Length - keptTail;
            if (truncated <= 0)
            {
                return _head.ToString() + _tail;
            }

            var text = new StringBuilder(_head.Length + keptTail + 64);
            text.Append(_head);
            if (_head.Length > 0 && _head[^1] != '\n')
            {
                text.Append('\n');
            }

            text.Append("... [").Append(truncated).Append(" characters truncated] ...\n");
            text.Append(_tail.ToString(_tail.Length - keptTail, keptTail));
            return text.ToString();
        }
    }

    private void AppendUnlocked(ReadOnlySpan<char> chunk)
    {
        _total += chunk.Length;

        var toHead = Math.Min(_headCapacity - _head.Length, chunk.Length);
        if (toHead > 0)
        {
            _head.Append(chunk[..toHead]);
            chunk = chunk[toHead..];
        }

        if (chunk.IsEmpty)
        {
            return;
        }

        if (chunk.Length >= _tailCapacity)
        {
            _tail.Clear();
            _tail.Append(chunk[^_tailCapacity..]);
            return;
        }

        _tail.Append(chunk);

        // Trimming only when the tail has doubled keeps appends amortised O(1).
        if (_tail.Length > _tailCapacity * 2)
        {
            _tail.Remove(0, _tail.Length - _tailCapacity);
        }
    }

    private bool EndsWithNewLine()
    {
        if (_tail.Length > 0)
        {
            return _tail[^1] == '\n';
        }

        return _head.Length > 0 && _head[^1] == '\n';
    }
}
