using System.ComponentModel;
using Microsoft.SemanticKernel;
using Orchestrator.Contracts;
using Orchestrator.Workspaces;

namespace Orchestrator.Planning;

/// <summary>
/// The planner's tools: read-only views of a clone of the base branch, nothing else. No tool writes, runs a command or
/// reaches outside the clone: every path goes through <see cref="WorkspaceRoot"/> (no <c>..</c> out, no absolute paths,
/// no links leading out, nothing in <c>.git</c>), only regular files are read. Bounded: at most <c>maxCalls</c> calls in
/// all, each answer at most <c>maxOutputChars</c> characters. Everything returned is repository content, so hidden
/// characters are stripped (<see cref="UntrustedText.StripHidden"/>). Errors come back as text starting "Error:".
/// </summary>
public sealed class RepositoryReadingPlugin(WorkspaceRoot root, int maxCalls, int maxOutputChars)
{
    public const string PluginName = "repository";

    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal) { ".git", "bin", "obj", "node_modules" };
    private const int MaxListedFiles = 300;
    private const int MaxSearchHits = 100;
    private const long MaxSearchedFileBytes = 1_000_000;

    private int _calls;

    /// <summary>Most tool calls allowed.</summary>
    public int MaxCalls => maxCalls;

    /// <summary>Tool calls made so far, the refused ones past the limit included.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>True once the calls allowed are used up: the planner then plans without tools.</summary>
    public bool Exhausted => Calls >= maxCalls;

    [KernelFunction("list_files"), Description("Lists the files under a directory of the repository's base branch, recursively (build output and .git are skipped). Read-only.")]
    public string ListFiles([Description("Directory relative to the repository root; '.' for the root.")] string path = ".") =>
        Guard(() =>
        {
            var directory = root.Resolve(path);
            if (!Directory.Exists(directory))
            {
                return $"Error: '{path}' is not a directory.";
            }

            var files = EnumerateFiles(directory).Take(MaxListedFiles + 1).Select(root.ToRelative).ToList();
            var listing = string.Join('\n', files.Take(MaxListedFiles));
            return files.Count > MaxListedFiles ? listing + $"\n... (more than {MaxListedFiles} files; list a subdirectory)" : listing;
        });

    [KernelFunction("read_file"), Description("Reads a text file of the repository's base branch. Read-only.")]
    public string ReadFile([Description("File path relative to the repository root.")] string path) =>
        Guard(() =>
        {
            var file = root.Resolve(path);
            if (!WorkspaceFiles.Exists(file))
            {
                return $"Error: file '{path}' does not exist.";
            }

            // Streamed up to the cap: a huge (or endless) file costs no more than a small one.
            var prefix = WorkspaceFiles.ReadPrefix(file, path, maxOutputChars);
            return prefix.CharactersAfter == 0 ? prefix.Text : prefix.Text + $"\n... [truncated: more characters follow; the limit per call is {maxOutputChars}]";
        });

    [KernelFunction("search"), Description("Searches the repository's text files for a plain-text string; returns path:line: text for each hit. Read-only.")]
    public string Search(
        [Description("The text to find (case-sensitive, not a regular expression).")] string text,
        [Description("Directory to search, relative to the repository root; '.' for all.")] string path = ".") =>
        Guard(() =>
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
                        if (hits.Count >= MaxSearchHits)
                        {
                            return string.Join('\n', hits) + $"\n... (stopped at {MaxSearchHits} hits)";
                        }
                    }
                }
            }

            return hits.Count == 0 ? $"No matches for '{text}'." : string.Join('\n', hits);
        });

    // Counts the call, refuses it past the limit, confines errors to text, strips hidden characters, caps the length.
    private string Guard(Func<string> action)
    {
        if (Interlocked.Increment(ref _calls) > maxCalls)
        {
            return $"Error: the planner may make at most {maxCalls} tool calls and has used them; answer with the plan now.";
        }

        string output;
        try
        {
            output = action();
        }
        catch (Exception ex) when (ex is WorkspacePathException or IOException or UnauthorizedAccessException)
        {
            output = $"Error: {ex.Message}";
        }

        output = UntrustedText.StripHidden(output);
        return output.Length <= maxOutputChars
            ? output
            : string.Concat(output.AsSpan(0, maxOutputChars), $"\n... [truncated: {output.Length - maxOutputChars} more characters]");
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
