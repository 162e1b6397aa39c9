using System.Runtime.InteropServices;

namespace Orchestrator.Workspaces;

internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,

    /// <summary>A FIFO, socket or device: opening it can block forever or never end.</summary>
    Special,
}

// .NET cannot tell a FIFO, socket or device from a regular file without opening it, and opening a FIFO blocks until a
// writer comes. statx(2) answers without opening, and its buffer has the same layout (native byte order) on every Linux architecture.
internal static partial class FileKinds
{
    private const int CurrentDirectory = -100;
    private const int NoFollow = 0x100;
    private const uint WantTypeModeAndOwner = 0x1 | 0x2 | 0x8 | 0x10;
    private const int BufferSize = 256;
    private const int UidOffset = 20;
    private const int GidOffset = 24;
    private const int ModeOffset = 28;
    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;

    /// <summary>What <paramref name="path"/> is; with <paramref name="followLinks"/>, what opening it would reach.</summary>
    public static FileKind Of(string path, bool followLinks)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Approximate(path, followLinks);
        }

        var status = Stat(path, followLinks);
        if (status is null)
        {
            return FileKind.Missing;
        }

        return (MemoryMarshal.Read<ushort>(status.AsSpan(ModeOffset)) & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            _ => FileKind.Special,
        };
    }

    /// <summary>The owner and group of <paramref name="path"/> itself (a link is not followed).</summary>
    public static (uint Uid, uint Gid) OwnerOf(string path)
    {
        var status = Stat(path, followLinks: false) ?? throw new FileNotFoundException($"'{path}' does not exist.", path);
        return (MemoryMarshal.Read<uint>(status.AsSpan(UidOffset)), MemoryMarshal.Read<uint>(status.AsSpan(GidOffset)));
    }

    private static byte[]? Stat(string path, bool followLinks)
    {
        var buffer = new byte[BufferSize];
        if (Statx(CurrentDirectory, path, followLinks ? 0 : NoFollow, WantTypeModeAndOwner, buffer) == 0)
        {
            return buffer;
        }

        var error = Marshal.GetLastPInvokeError();
        if (error is NoSuchFile or NotADirectory)
        {
            return null;
        }

        throw new IOException($"Cannot inspect '{path}': {Marshal.GetPInvokeErrorMessage(error)}.");
    }

    // Elsewhere (a developer's macOS) nothing here runs repository commands; treat what is not a directory as a file.
    private static FileKind Approximate(string path, bool followLinks)
    {
        var info = new FileInfo(path);
        if (!followLinks && info.LinkTarget is not null)
        {
            return FileKind.SymbolicLink;
        }

        return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, byte[] buffer);
}
