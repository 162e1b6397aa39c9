using System.Text;

namespace Orchestrator.Workspaces;

/// <summary>The start of a text file and how much of it was left out.</summary>
/// <param name="CharactersAfter">Characters after <see cref="Text"/>; when not <paramref name="CountedAll"/>, at least this many.</param>
public sealed record TextPrefix(string Text, long CharactersAfter, bool CountedAll);

/// <summary>
/// A file's start and end: <see cref="Between"/> characters were left out between them (at least that many when not
/// <see cref="CountedAll"/>; then the file is too long to find its end and <see cref="Tail"/> is empty).
/// </summary>
public sealed record TextExcerpt(string Head, long Between, string Tail, bool CountedAll);

/// <summary>
/// Files of a workspace as a repository, a model or a sandboxed command may have left them: only regular files are read
/// or written (a FIFO would block the reader, a device would never end), and never more of a file than asked for.
/// Paths must already be confined (<see cref="WorkspaceRoot.Resolve"/>); links are followed as opening would follow them.
/// </summary>
public static class WorkspaceFiles
{
    // Counting what follows the shown part stops here: enough to say "4000 more characters", not worth reading 600 MB for.
    private const int MaxCountedCharacters = 1_000_000;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>True when something other than a directory is at <paramref name="path"/>.</summary>
    public static bool Exists(string path) => FileKinds.Of(path, followLinks: true) is FileKind.Regular or FileKind.Special;

    /// <summary>True only for a regular file.</summary>
    public static bool IsRegularFile(string path) => FileKinds.Of(path, followLinks: true) == FileKind.Regular;

    /// <summary>Throws unless <paramref name="path"/> is missing or a regular file, so that writing it cannot block.</summary>
    /// <exception cref="IOException">A directory, FIFO, socket or device is there; the message is safe to show a model.</exception>
    public static void EnsureWritable(string path, string shownPath)
    {
        switch (FileKinds.Of(path, followLinks: true))
        {
            case FileKind.Missing or FileKind.Regular:
                return;
            case FileKind.Directory:
                throw new IOException($"'{shownPath}' is a directory.");
            default:
                throw NotRegular(shownPath);
        }
    }

    /// <summary>
    /// Replaces a file's content by writing a new file beside it and renaming it into place (keeping the old mode): a
    /// hard link in the workspace then keeps its other name's content instead of carrying the write to it. A symbolic
    /// link is written through to its final target, which the caller has confined.
    /// </summary>
    public static void WriteText(string path, string content, bool byteOrderMark)
    {
        var target = new FileInfo(path).LinkTarget is null ? path : File.ResolveLinkTarget(path, returnFinalTarget: true)!.FullName;
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, content, new UTF8Encoding(byteOrderMark));
            if (!OperatingSystem.IsWindows() && File.Exists(target))
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(target));
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The first <paramref name="maxChars"/> characters (UTF-8 unless a byte order mark says otherwise), read as a stream.</summary>
    /// <exception cref="IOException">Not a regular file, or it cannot be read.</exception>
    public static TextPrefix ReadPrefix(string path, string shownPath, int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxChars);
        using var reader = new StreamReader(OpenRegular(path, shownPath), Utf8, detectEncodingFromByteOrderMarks: true);
        var shown = new char[maxChars];
        var read = reader.ReadBlock(shown, 0, maxChars);

        long after = 0;
        var chunk = new char[8192];
        int counted;
        while (after < MaxCountedCharacters && (counted = reader.Read(chunk, 0, chunk.Length)) > 0)
        {
            after += counted;
        }

        return new TextPrefix(new string(shown, 0, read), after, CountedAll: reader.EndOfStream);
    }

    /// <summary>
    /// The whole file when it has at most <paramref name="headChars"/> + <paramref name="tailChars"/> characters, else
    /// its first <paramref name="headChars"/> and last <paramref name="tailChars"/>, read as a stream.
    /// </summary>
    /// <exception cref="IOException">Not a regular file, or it cannot be read.</exception>
    public static TextExcerpt ReadHeadAndTail(string path, string shownPath, int headChars, int tailChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headChars);
        ArgumentOutOfRangeException.ThrowIfNegative(tailChars);
        using var reader = new StreamReader(OpenRegular(path, shownPath), Utf8, detectEncodingFromByteOrderMarks: true);
        var head = new char[headChars];
        var read = reader.ReadBlock(head, 0, headChars);

        // The rest is read in chunks, keeping only its last tailChars (the buffer is trimmed when twice that).
        var rest = new StringBuilder();
        long after = 0;
        var chunk = new char[8192];
        int counted;
        while (after < MaxCountedCharacters && (counted = reader.Read(chunk, 0, chunk.Length)) > 0)
        {
            after += counted;
            rest.Append(chunk, 0, counted);
            if (rest.Length > 2 * tailChars + chunk.Length)
            {
                rest.Remove(0, rest.Length - tailChars);
            }
        }

        var countedAll = reader.EndOfStream;
        if (countedAll && after <= tailChars)
        {
            return new TextExcerpt(new string(head, 0, read) + rest, 0, string.Empty, CountedAll: true);
        }

        var tail = countedAll ? rest.ToString(rest.Length - tailChars, tailChars) : string.Empty;
        return new TextExcerpt(new string(head, 0, read), after - tail.Length, tail, countedAll);
    }

    /// <summary>The whole file, refused when it is larger than <paramref name="maxBytes"/>.</summary>
    /// <exception cref="IOException">Not a regular file, too large, or it cannot be read.</exception>
    public static byte[] ReadAllBytes(string path, string shownPath, int maxBytes)
    {
        using var stream = OpenRegular(path, shownPath);
        var buffer = new byte[maxBytes + 1];
        var total = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (total > maxBytes)
        {
            throw new IOException($"'{shownPath}' is larger than {maxBytes} bytes.");
        }

        return buffer[..total];
    }

    /// <summary>The whole file as text (UTF-8 unless a byte order mark says otherwise), refused beyond <paramref name="maxBytes"/>.</summary>
    public static string ReadAllText(string path, string shownPath, int maxBytes)
    {
        using var reader = new StreamReader(new MemoryStream(ReadAllBytes(path, shownPath, maxBytes)), Utf8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static FileStream OpenRegular(string path, string shownPath)
    {
        // Checked before opening because opening a FIFO is what blocks. Nothing runs in the workspace while a tool
        // reads it (sandboxed commands are over and their processes gone), so the answer still holds at open.
        switch (FileKinds.Of(path, followLinks: true))
        {
            case FileKind.Regular:
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 64 * 1024);
            case FileKind.Missing:
                throw new FileNotFoundException($"'{shownPath}' does not exist.", shownPath);
            case FileKind.Directory:
                throw new IOException($"'{shownPath}' is a directory.");
            default:
                throw NotRegular(shownPath);
        }
    }

    private static IOException NotRegular(string shownPath) =>
        new($"'{shownPath}' is not a regular file (it is a FIFO, socket or device); only regular files can be read or written.");
}
