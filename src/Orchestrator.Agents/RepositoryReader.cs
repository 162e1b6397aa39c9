using Orchestrator.Llm;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents;

/// <summary>
/// Reading a checked-out repository for a model — list, read, search — confined to <see cref="WorkspaceRoot"/>: no
/// <c>..</c> out, no absolute paths, no links leading out, nothing in <c>.git</c>, only regular files. Shared by the
/// agents' workspace tools and the planner's read-only ones. Answers are plain text (problems the model can act on
/// start with "Error:"); a path that leads out or cannot be read throws, for the caller to turn into text.
/// </summary>
public sealed class RepositoryReader(WorkspaceRoot root, int maxOutputChars, int maxListedFiles = 500, int maxSearchHits = 200)
{
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal) { ".git", "bin", "obj", "node_modules" };
    private const long MaxSearchedFileBytes = 1_000_000;

    /// <summary>The files under <paramref name="path"/>, recursively, build output and .git skipped.</summary>
    public string ListFiles(string path)
    {
        var directory = root.Resolve(path);
        if (!Directory.Exists(directory))
        {
            return $"Error: '{path}' is not a directory.";
        }

        var files = EnumerateFiles(directory).Take(maxListedFiles + 1).Select(root.ToRelative).ToList();
        var listing = string.Join('\n', files.Take(maxListedFiles));
        return files.Count > maxListedFiles ? listing + $"\n... (more than {maxListedFiles} files; list a subdirectory)" : listing;
    }

    /// <summary>A text file; streamed, so a huge (or endless) one costs no more than a small one: its start and its end are shown.</summary>
    public string ReadFile(string path)
    {
        var file = root.Resolve(path);
        if (!WorkspaceFiles.Exists(file))
        {
            return $"Error: file '{path}' does not exist.";
        }

        var (headChars, tailChars) = ToolOutput.Split(maxOutputChars);
        var excerpt = WorkspaceFiles.ReadHeadAndTail(file, path, headChars, tailChars);
        return excerpt.Between == 0 ? excerpt.Head : ToolOutput.Joined(excerpt.Head, excerpt.Between, excerpt.Tail, excerpt.CountedAll);
    }

    /// <summary>Every line holding <paramref name="text"/> (plain, case-sensitive) under <paramref name="path"/>, as <c>path:line: text</c>.</summary>
    public string Search(string text, string path)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "Error: 'text' must not be empty.";
        }

        var directory = root.Resolve(path);
        if (!Directory.Exists(directory))
        {
            return $"Error: '{path}' is not a directory.";
        }

        var hits = new List<string>();
        foreach (var file in EnumerateFiles(directory).Where(f => IsInside(f) && IsSmallRegularFile(f)))
        {
            var lineNumber = 0;
            foreach (var line in File.ReadLines(file))
            {
                lineNumber++;
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    hits.Add($"{root.ToRelative(file)}:{lineNumber}: {line.Trim()}");
                    if (hits.Count >= maxSearchHits)
                    {
                        return string.Join('\n', hits) + $"\n... (stopped at {maxSearchHits} hits)";
                    }
                }
            }
        }

        return hits.Count == 0 ? $"No matches for '{text}'." : string.Join('\n', hits);
    }

    // A file symlink committed to the repository may point anywhere (e.g. /proc/self/environ): read only what the
    // root itself would resolve.
    private bool IsInside(string file)
    {
        try
        {
            root.Resolve(root.ToRelative(file));
            return true;
        }
        catch (WorkspacePathException)
        {
            return false;
        }
    }

    private static bool IsSmallRegularFile(string file) =>
        WorkspaceFiles.IsRegularFile(file) && new FileInfo(file).Length <= MaxSearchedFileBytes;

    private static IEnumerable<string> EnumerateFiles(string directory)
    {
        var pending = new Stack<string>();
        pending.Push(directory);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(current).Order(StringComparer.Ordinal))
            {
                yield return file;
            }

            foreach (var child in Directory.EnumerateDirectories(current).Order(StringComparer.Ordinal).Reverse())
            {
                var info = new DirectoryInfo(child);
                if (!SkippedDirectories.Contains(info.Name) && info.LinkTarget is null)
                {
                    pending.Push(child);
                }
            }
        }
    }
}
