namespace Orchestrator.Workspaces;

/// <summary>Removal of a throwaway workspace (a clone) once its work is done.</summary>
public static class WorkspaceDirectory
{
    private const UnixFileMode OwnerAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Deletes <paramref name="directory"/> and everything in it; returns why it could not, or null. A symbolic link is
    /// removed as a link and never followed: a committed <c>up -&gt; ../../..</c> or <c>loop -&gt; .</c> changes nothing
    /// outside and cannot keep the workspace from going.
    /// </summary>
    public static string? TryDelete(string directory)
    {
        try
        {
            switch (FileKinds.Of(directory, followLinks: false))
            {
                case FileKind.Missing:
                    return null;
                case FileKind.Directory:
                    DeleteTree(directory);
                    return null;
                default:
                    // Something replaced the workspace with a link or a file: remove that, not what a link points to.
                    File.Delete(directory);
                    return null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    // Depth first with an explicit stack (a deep tree cannot overflow ours); a directory goes once it is empty.
    private static void DeleteTree(string root)
    {
        var pending = new Stack<(string Path, bool Emptied)>();
        pending.Push((root, false));
        while (pending.TryPop(out var current))
        {
            if (current.Emptied)
            {
                Directory.Delete(current.Path);
                continue;
            }

            EnsureOwnerMayEmpty(current.Path);
            pending.Push((current.Path, true));
            foreach (var entry in Directory.EnumerateFileSystemEntries(current.Path))
            {
                if (FileKinds.Of(entry, followLinks: false) == FileKind.Directory)
                {
                    pending.Push((entry, false));
                }
                else
                {
                    DeleteEntry(entry);
                }
            }
        }
    }

    // A sandboxed command may leave a directory it made unreadable (0500, 0000); only a non-root owner is stopped by that.
    private static void EnsureOwnerMayEmpty(string directory)
    {
        if (OperatingSystem.IsWindows() || Environment.IsPrivilegedProcess)
        {
            return;
        }

        var mode = File.GetUnixFileMode(directory);
        if ((mode & OwnerAll) != OwnerAll)
        {
            File.SetUnixFileMode(directory, mode | OwnerAll);
        }
    }

    // Unlinking needs no permission on the file itself, except on Windows, where git's read-only object files refuse it.
    private static void DeleteEntry(string entry)
    {
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(entry, FileAttributes.Normal);
        }

        File.Delete(entry);
    }
}
