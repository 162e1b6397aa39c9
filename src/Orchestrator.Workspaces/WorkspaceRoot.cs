namespace Orchestrator.Workspaces;

/// <summary>
/// A directory an agent may touch. Every path that comes from a model goes through <see cref="Resolve"/>,
/// which refuses anything that would reach outside the directory or into its <c>.git</c> directory.
/// </summary>
public sealed class WorkspaceRoot
{
    private const string GitDirectoryName = ".git";

    public WorkspaceRoot(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);

        // Not Path.GetFullPath: it would fold "link/.." textually before the links are resolved.
        var absolute = Path.IsPathRooted(directory) ? directory : Path.Join(Environment.CurrentDirectory, directory);
        var canonical = PathResolution.Canonicalize(absolute);
        if (!System.IO.Directory.Exists(canonical))
        {
            throw new DirectoryNotFoundException($"Workspace directory '{directory}' does not exist.");
        }

        Directory = Path.TrimEndingDirectorySeparator(canonical);
    }

    /// <summary>The canonical full path of the workspace, with the root's own symlinks resolved.</summary>
    public string Directory { get; }

    /// <summary>
    /// Resolves a path relative to the workspace to a full path inside it, or throws
    /// <see cref="WorkspacePathException"/>. The path need not exist yet. Empty or "." is the root itself.
    /// </summary>
    public string Resolve(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);

        if (relativePath.Contains('\0', StringComparison.Ordinal))
        {
            throw new WorkspacePathException($"Path '{relativePath.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character.");
        }

        // Models write Windows-style paths too; on Linux a backslash would otherwise silently become part of a file name.
        var normalized = relativePath.Replace('\\', '/');
        if (Path.IsPathRooted(relativePath) || normalized.StartsWith('/') || HasDriveQualifier(normalized))
        {
            throw new WorkspacePathException(
                $"Path '{relativePath}' is absolute; give a path relative to the workspace root.");
        }

        var segments = new List<string>();
        foreach (var segment in normalized.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    throw new WorkspacePathException($"Path '{relativePath}' escapes the workspace.");
                }

                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            if (IsGitDirectoryName(segment))
            {
                throw new WorkspacePathException(
                    $"Path '{relativePath}' is inside a .git directory, which agents may not touch.");
            }

            segments.Add(segment);
        }

        EnsureLinksStayInside(relativePath, segments);

        return segments.Count == 0
            ? Directory
            : Path.Join(Directory, string.Join(Path.DirectorySeparatorChar, segments));
    }

    /// <summary>The path of <paramref name="fullPath"/> relative to the root, with forward slashes.</summary>
    public string ToRelative(string fullPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(fullPath);

        var full = Path.GetFullPath(fullPath);
        if (!PathResolution.IsSameOrInside(full, Directory))
        {
            // The caller may have reached the workspace through a symlinked alias of it.
            var canonical = PathResolution.Canonicalize(full);
            if (!PathResolution.IsSameOrInside(canonical, Directory))
            {
                throw new WorkspacePathException($"Path '{fullPath}' is outside the workspace.");
            }

            full = canonical;
        }

        return Path.GetRelativePath(Directory, full).Replace('\\', '/');
    }

    // Walks the existing part of the path: a link at any component must land inside the root and outside .git.
    private void EnsureLinksStayInside(string relativePath, List<string> segments)
    {
        var current = Directory;
        foreach (var segment in segments)
        {
            var candidate = Path.Join(current, segment);
            var target = PathResolution.ReadLink(candidate);
            if (target is null)
            {
                if (!Path.Exists(candidate))
                {
                    return;
                }

                current = candidate;
                continue;
            }

            var resolved = PathResolution.Canonicalize(Path.IsPathRooted(target) ? target : Path.Join(current, target));
            if (!PathResolution.IsSameOrInside(resolved, Directory))
            {
                throw new WorkspacePathException(
                    $"Path '{relativePath}' goes through a symbolic link that points outside the workspace.");
            }

            if (IsInsideGitDirectory(resolved))
            {
                throw new WorkspacePathException(
                    $"Path '{relativePath}' goes through a symbolic link into a .git directory, which agents may not touch.");
            }

            current = resolved;
        }
    }

    private bool IsInsideGitDirectory(string insidePath)
    {
        var relative = Path.GetRelativePath(Directory, insidePath);
        return relative
            .Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries)
            .Any(IsGitDirectoryName);
    }

    // Case-insensitive everywhere: on a case-insensitive file system ".GIT" is the same directory.
    private static bool IsGitDirectoryName(string segment) =>
        segment.Equals(GitDirectoryName, StringComparison.OrdinalIgnoreCase);

    // "C:/x" is relative on Linux, but a model writing it means an absolute Windows path.
    private static bool HasDriveQualifier(string path) =>
        path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0]) && (path.Length == 2 || path[2] == '/');
}
