using System.ComponentModel;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Orchestrator.Contracts;
using Orchestrator.Llm;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents;

/// <summary>
/// The tools an agent has: files and commands of its own task workspace, nothing else. Every path goes through
/// <see cref="WorkspaceRoot"/>, and only regular files are read or written, never more than the output cap of one;
/// the repository's commands run through an <see cref="IRepositoryCommandRunner"/> (a sandbox), without a shell.
/// Errors come back as text the model can act on.
/// </summary>
/// <param name="commands">Runs the repository's commands: in the sandbox (every agent service registers one).</param>
/// <param name="remote">The workspace's staging repository, for a runner that does not share this disk (a Kubernetes Job).</param>
public sealed partial class WorkspacePlugin(
    WorkspaceRoot root,
    IRepositoryCommandRunner commands,
    AgentOptions options,
    ToolActivityLog activity,
    RemoteWorkspace? remote = null)
{
    public const string PluginName = "workspace";

    private readonly RepositoryReader _reader = new(root, options.MaxToolOutputChars);

    private const int MaxEditedFileBytes = 4_000_000;
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [KernelFunction("list_files"), Description("Lists the files under a directory of the repository, recursively (build output and .git are skipped).")]
    public string ListFiles([Description("Directory relative to the repository root; '.' for the root.")] string path = ".") =>
        Guard("list_files", path, () => _reader.ListFiles(path));

    [KernelFunction("read_file"), Description("Reads a text file of the repository.")]
    public string ReadFile([Description("File path relative to the repository root.")] string path) =>
        Guard("read_file", path, () => _reader.ReadFile(path), truncate: false);

    [KernelFunction("search"), Description("Searches the repository's text files for a plain-text string; returns path:line: text for each hit.")]
    public string Search(
        [Description("The text to find (case-sensitive, not a regular expression).")] string text,
        [Description("Directory to search, relative to the repository root; '.' for all.")] string path = ".") =>
        Guard("search", path, () => _reader.Search(text, path));

    [KernelFunction("write_file"), Description("Creates or overwrites a whole text file of the repository (directories are created).")]
    public string WriteFile(
        [Description("File path relative to the repository root.")] string path,
        [Description("The complete new content of the file.")] string content) =>
        Guard("write_file", path, () =>
        {
            var file = root.Resolve(path);
            WorkspaceFiles.EnsureWritable(file, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            WorkspaceFiles.WriteText(file, content, byteOrderMark: false);
            return $"Wrote {root.ToRelative(file)} ({content.Length} characters).";
        });

    [KernelFunction("edit_file"), Description("Replaces one exact occurrence of oldText with newText in a file. oldText must occur exactly once.")]
    public string EditFile(
        [Description("File path relative to the repository root.")] string path,
        [Description("The exact text to replace, including whitespace; must occur exactly once.")] string oldText,
        [Description("The replacement text.")] string newText) =>
        Guard("edit_file", path, () =>
        {
            var file = root.Resolve(path);
            if (!WorkspaceFiles.Exists(file))
            {
                return $"Error: file '{path}' does not exist.";
            }

            if (string.IsNullOrEmpty(oldText))
            {
                return "Error: 'oldText' must not be empty; use write_file to create a file.";
            }

            var bytes = WorkspaceFiles.ReadAllBytes(file, path, MaxEditedFileBytes);
            var hasBom = bytes.AsSpan().StartsWith(Utf8Bom);
            string text;
            try
            {
                text = StrictUtf8.GetString(hasBom ? bytes[Utf8Bom.Length..] : bytes);
            }
            catch (DecoderFallbackException)
            {
                return $"Error: '{path}' is not UTF-8 text; edit_file only edits UTF-8 files.";
            }

            var first = text.IndexOf(oldText, StringComparison.Ordinal);
            if (first < 0)
            {
                return $"Error: oldText was not found in '{path}'. Read the file and copy the text exactly.";
            }

            if (text.IndexOf(oldText, first + 1, StringComparison.Ordinal) >= 0)
            {
                return $"Error: oldText occurs more than once in '{path}'; include more surrounding lines so it is unique.";
            }

            WorkspaceFiles.WriteText(file, string.Concat(text.AsSpan(0, first), newText, text.AsSpan(first + oldText.Length)), hasBom);
            return $"Edited {root.ToRelative(file)}.";
        });

    [KernelFunction("run_build"), Description("Runs the repository's build command and returns its exit code and output.")]
    public Task<string> RunBuildAsync(CancellationToken cancellationToken) =>
        RunRepositoryCommandAsync("run_build", "build", all => all.Build, cancellationToken);

    [KernelFunction("run_tests"), Description("Runs the repository's test command and returns its exit code and output.")]
    public Task<string> RunTestsAsync(CancellationToken cancellationToken) =>
        RunRepositoryCommandAsync("run_tests", "test", all => all.Test, cancellationToken);

    private async Task<string> RunRepositoryCommandAsync(
        string tool, string kind, Func<RepositoryCommands, RepositoryCommand?> select, CancellationToken cancellationToken)
    {
        RepositoryCommands detected;
        try
        {
            detected = RepositoryCommands.Detect(root.Directory);
        }
        catch (InvalidOperationException ex)
        {
            return Shown(tool, "", $"Error: {ex.Message}");
        }

        if (select(detected) is not { } command)
        {
            return Shown(tool, "", $"Error: this repository has no {kind} command (.orchestrator.json or a recognised project file).");
        }

        RepositoryCommandResult result;
        try
        {
            result = await commands.RunAfterRestoreAsync(
                root.Directory, detected, command, new RepositoryCommandLimits { Timeout = options.CommandTimeout }, remote, cancellationToken);
        }
        catch (SandboxUnavailableException ex)
        {
            return Shown(tool, command.ToString(), $"Error: {ex.Message}");
        }

        // The first line stays "`command`: verdict": recordings compare command results by it.
        var verdict = result.TimedOut ? $"timed out after {options.CommandTimeout}" : $"exit code {result.ExitCode}";
        var unsandboxed = result.Sandboxed ? "" : "\n[warning: this ran WITHOUT a sandbox (Sandbox:Mode=none)]";
        return Shown(tool, command.ToString(), Truncate($"`{command}`: {verdict}{unsandboxed}\n{result.Output}"));
    }

    private string Guard(string tool, string path, Func<string> action, bool truncate = true)
    {
        string output;
        try
        {
            output = action();
        }
        catch (WorkspacePathException ex)
        {
            output = $"Error: {ex.Message}";
        }
        catch (IOException ex)
        {
            output = $"Error: {ex.Message}";
        }
        catch (UnauthorizedAccessException ex)
        {
            output = $"Error: {ex.Message}";
        }

        return Shown(tool, path, truncate ? Truncate(output) : output);
    }

    // Everything a tool returns goes to the model: characters it would read but a person reviewing the transcript or
    // the file would not see (bidirectional controls, tag characters) are removed on the way.
    private string Shown(string tool, string target, string output) => activity.Record(tool, target, UntrustedText.StripHidden(output));

    private string Truncate(string text) => ToolOutput.Cut(text, options.MaxToolOutputChars);
}
