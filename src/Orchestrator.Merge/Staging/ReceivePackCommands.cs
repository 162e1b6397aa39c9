using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace Orchestrator.Merge.Staging;

/// <summary>
/// The ref updates a push asks for, read from the start of a <c>git-receive-pack</c> request body before
/// <c>git http-backend</c> sees it. The body is git's pack protocol: optional <c>shallow &lt;oid&gt;</c> pkt-lines, then
/// one pkt-line per command, <c>&lt;old-oid&gt; SP &lt;new-oid&gt; SP &lt;ref&gt;</c> (the first with <c>NUL</c> and the
/// capabilities), then a flush-pkt <c>0000</c>, then the pack. A pkt-line is four hex digits giving its length
/// including those four, then the payload. The commands are only peeked at: the backend reads the same bytes.
/// </summary>
public static class ReceivePackCommands
{
    /// <summary>One command of the push: move <see cref="Ref"/> from <see cref="OldId"/> to <see cref="NewId"/>.</summary>
    public sealed record RefUpdate(string OldId, string NewId, string Ref)
    {
        public bool IsDeletion => NewId.All(c => c == '0');
    }

    private enum Parse
    {
        Complete,
        NeedMore,
        Invalid,
    }

    /// <summary>
    /// The commands at the start of <paramref name="body"/>, consuming nothing; null when the body does not start with
    /// a well-formed command list within <paramref name="maxBytes"/> (including a signed push, which is not supported).
    /// </summary>
    public static async Task<IReadOnlyList<RefUpdate>?> PeekAsync(PipeReader body, int maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            var commands = new List<RefUpdate>();
            var parsed = TryParse(buffer, commands);
            if (parsed == Parse.NeedMore && !read.IsCompleted && buffer.Length < maxBytes)
            {
                // Nothing consumed, everything examined: the next read returns the same bytes and more.
                body.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            body.AdvanceTo(buffer.Start);
            return parsed == Parse.Complete ? commands : null;
        }
    }

    private static Parse TryParse(ReadOnlySequence<byte> buffer, List<RefUpdate> commands)
    {
        var reader = new SequenceReader<byte>(buffer);
        Span<byte> header = stackalloc byte[4];
        while (true)
        {
            if (!reader.TryCopyTo(header))
            {
                return Parse.NeedMore;
            }

            if (!int.TryParse(Encoding.ASCII.GetString(header), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length)
                || length is > 0 and < 4)
            {
                // 0001 and 0002 are protocol v2 delimiters; push has none.
                return Parse.Invalid;
            }

            if (length == 0)
            {
                return Parse.Complete;
            }

            if (reader.Remaining < length)
            {
                return Parse.NeedMore;
            }

            reader.Advance(4);
            var payload = Encoding.UTF8.GetString(reader.UnreadSequence.Slice(0, length - 4)).TrimEnd('\n');
            reader.Advance(length - 4);
            if (payload.StartsWith("shallow ", StringComparison.Ordinal))
            {
                continue;
            }

            if (ParseCommand(payload) is not { } command)
            {
                return Parse.Invalid;
            }

            commands.Add(command);
        }
    }

    // Ref names are compared with the one allowed name, which is ASCII: a name that was not valid UTF-8 decodes with
    // replacement characters and can never be equal to it.
    private static RefUpdate? ParseCommand(string payload)
    {
        var nul = payload.IndexOf('\0', StringComparison.Ordinal);
        var fields = (nul < 0 ? payload : payload[..nul]).Split(' ');
        return fields is [var oldId, var newId, var name] && IsObjectId(oldId) && IsObjectId(newId) && name.Length > 0
            ? new RefUpdate(oldId, newId, name)
            : null;
    }

    // SHA-1 or SHA-256 in lower-case hex, as git writes them.
    private static bool IsObjectId(string text) => text.Length is 40 or 64 && text.All(char.IsAsciiHexDigitLower);
}
