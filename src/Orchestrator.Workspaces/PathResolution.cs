namespace Orchestrator.Workspaces;

// Symlink resolution done component by component, the way the OS walks a path, so that `..` after a
// link is applied to the link's target and not to the text of the path.
internal static class PathResolution
{
    // Same bound as Linux's ELOOP limit: past it the OS would refuse the path anyway.
    private const int MaxLinks = 40;

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    public static StringComparison Comparison { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Resolves every existing component of an absolute path; a missing tail is appended as given.</summary>
    public static string Canonicalize(string absolutePath)
    {
        var links = 0;
        return Canonicalize(absolutePath, ref links);
    }

    /// <summary>The target of <paramref name="path"/> if it is a symbolic link, or null.</summary>
    public static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static bool IsSameOrInside(string path, string directory)
    {
        var trimmedPath = Path.TrimEndingDirectorySeparator(path);
        var trimmedDirectory = Path.TrimEndingDirectorySeparator(directory);
        if (string.Equals(trimmedPath, trimmedDirectory, Comparison))
        {
            return true;
        }

        // The separator matters: "/tmp/ws2" must not count as inside "/tmp/ws".
        var prefix = Path.EndsInDirectorySeparator(trimmedDirectory)
            ? trimmedDirectory
            : trimmedDirectory + Path.DirectorySeparatorChar;
        return trimmedPath.StartsWith(prefix, Comparison);
    }

    private static string Canonicalize(string absolutePath, ref int links)
    {
        var root = Path.GetPathRoot(absolutePath);
        if (string.IsNullOrEmpty(root))
        {
            throw new ArgumentException($"'{absolutePath}' is not an absolute path.", nameof(absolutePath));
        }

        var parts = absolutePath[root.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }

            var candidate = Path.Join(current, part);
            var target = ReadLink(candidate);
            if (target is null)
            {
                current = candidate;
                if (!Path.Exists(candidate))
                {
                    // Nothing below a missing component can be a link.
                    return i + 1 < parts.Length
                        ? Path.Join(current, string.Join(Path.DirectorySeparatorChar, parts[(i + 1)..]))
                        : current;
                }

                continue;
            }

            if (++links > MaxLinks)
            {
                throw new WorkspacePathException($"Too many levels of symbolic links at '{candidate}'.");
            }

            // A relative target is relative to the directory holding the link, which is `current`.
            current = Canonicalize(Path.IsPathRooted(target) ? target : Path.Join(current, target), ref links);
        }

        return current;
    }
}
