using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace Orchestrator.Agents.Reviewer;

/// <summary>
/// The Reviewer's tools: the read-only part of the agents' <see cref="WorkspacePlugin"/> (list, read, search) and the
/// repository's build and test commands, under the same plugin name, so scripts and transcripts call them alike. No
/// tool writes a file; nothing the reviewer does is committed or pushed.
/// </summary>
public sealed class ReviewToolsPlugin(WorkspacePlugin workspace)
{
    [KernelFunction("list_files"), Description("Lists the files under a directory of the repository, recursively (build output and .git are skipped).")]
    public string ListFiles([Description("Directory relative to the repository root; '.' for the root.")] string path = ".") =>
        workspace.ListFiles(path);

    [KernelFunction("read_file"), Description("Reads a text file of the repository.")]
    public string ReadFile([Description("File path relative to the repository root.")] string path) => workspace.ReadFile(path);

    [KernelFunction("search"), Description("Searches the repository's text files for a plain-text string; returns path:line: text for each hit.")]
    public string Search(
        [Description("The text to find (case-sensitive, not a regular expression).")] string text,
        [Description("Directory to search, relative to the repository root; '.' for all.")] string path = ".") =>
        workspace.Search(text, path);

    [KernelFunction("run_build"), Description("Runs the repository's build command and returns its exit code and output.")]
    public Task<string> RunBuildAsync(CancellationToken cancellationToken) => workspace.RunBuildAsync(cancellationToken);

    [KernelFunction("run_tests"), Description("Runs the repository's test command and returns its exit code and output.")]
    public Task<string> RunTestsAsync(CancellationToken cancellationToken) => workspace.RunTestsAsync(cancellationToken);
}
