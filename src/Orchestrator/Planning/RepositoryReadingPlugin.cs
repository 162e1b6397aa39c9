using System.ComponentModel;
using Microsoft.SemanticKernel;
using Orchestrator.Agents;
using Orchestrator.Contracts;
using Orchestrator.Llm;
using Orchestrator.Workspaces;

namespace Orchestrator.Planning;

/// <summary>
/// The planner's tools: read-only views of a clone of the base branch, nothing else. No tool writes, runs a command or
/// reaches outside the clone: every path goes through <see cref="WorkspaceRoot"/> (no <c>..</c> out, no absolute paths,
/// no links leading out, nothing in <c>.git</c>), only regular files are read (<see cref="RepositoryReader"/>, as the agents read). Bounded: at most <c>maxCalls</c> calls in
/// all, each answer at most <c>maxOutputChars</c> characters. Everything returned is repository content, so hidden
/// characters are stripped (<see cref="UntrustedText.StripHidden"/>). Errors come back as text starting "Error:".
/// </summary>
public sealed class RepositoryReadingPlugin(WorkspaceRoot root, int maxCalls, int maxOutputChars)
{
    public const string PluginName = "repository";

    private const int MaxListedFiles = 300;
    private const int MaxSearchHits = 100;

    private readonly RepositoryReader _reader = new(root, maxOutputChars, MaxListedFiles, MaxSearchHits);

    private int _calls;

    /// <summary>Most tool calls allowed.</summary>
    public int MaxCalls => maxCalls;

    /// <summary>Tool calls made so far, the refused ones past the limit included.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>True once the calls allowed are used up: the planner then plans without tools.</summary>
    public bool Exhausted => Calls >= maxCalls;

    [KernelFunction("list_files"), Description("Lists the files under a directory of the repository's base branch, recursively (build output and .git are skipped). Read-only.")]
    public string ListFiles([Description("Directory relative to the repository root; '.' for the root.")] string path = ".") =>
        Guard(() => _reader.ListFiles(path));

    [KernelFunction("read_file"), Description("Reads a text file of the repository's base branch. Read-only.")]
    public string ReadFile([Description("File path relative to the repository root.")] string path) =>
        Guard(() => _reader.ReadFile(path), cut: false); // read within the cap already, start and end

    [KernelFunction("search"), Description("Searches the repository's text files for a plain-text string; returns path:line: text for each hit. Read-only.")]
    public string Search(
        [Description("The text to find (case-sensitive, not a regular expression).")] string text,
        [Description("Directory to search, relative to the repository root; '.' for all.")] string path = ".") =>
        Guard(() => _reader.Search(text, path));

    // Counts the call, refuses it past the limit, confines errors to text, strips hidden characters, caps the length.
    private string Guard(Func<string> action, bool cut = true)
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
        return cut ? ToolOutput.Cut(output, maxOutputChars) : output;
    }
}
