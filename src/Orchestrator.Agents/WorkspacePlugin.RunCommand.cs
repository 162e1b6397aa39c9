using System.ComponentModel;
using Microsoft.SemanticKernel;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents;

/// <summary>
/// <c>run_command</c>: one program with an argument list — no shell, so nothing the model writes is interpreted twice —
/// run like the build and the tests, through the <see cref="IRepositoryCommandRunner"/> (the sandbox: only the
/// workspace writable, no network, no secret in its environment), bounded by <see cref="AgentOptions.CommandTimeout"/>
/// and the output cap. A role has it only when its configuration lists it (<c>Roles:&lt;name&gt;:Tools</c>).
/// </summary>
public sealed partial class WorkspacePlugin
{
    private const int MaxArguments = 100;
    private const int MaxArgumentLength = 4_000;

    [KernelFunction("run_command"), Description(
        "Runs one program in the repository's root, in a sandbox without network access, and returns its exit code and output. " +
        "No shell: pipes, redirections, globs and variables are not interpreted; for a shell, run sh with the arguments -c and the script.")]
    public async Task<string> RunCommandAsync(
        [Description("The program: a name found on PATH (e.g. git, ls, dotnet) or a path relative to the repository root.")] string program,
        [Description("The program's arguments, one item per argument.")] string[]? args = null,
        CancellationToken cancellationToken = default)
    {
        var arguments = args ?? [];
        if (ProblemOf(program, arguments) is { } problem)
        {
            return Shown("run_command", program ?? string.Empty, $"Error: {problem}");
        }

        var command = new RepositoryCommand(program.Trim(), arguments);
        RepositoryCommandResult result;
        try
        {
            var limits = new RepositoryCommandLimits { Timeout = options.CommandTimeout, MaxOutputChars = options.MaxToolOutputChars };
            result = await commands.RunAsync(new RepositoryCommandRequest(root.Directory, command) { Limits = limits, Remote = remote }, cancellationToken);
        }
        catch (SandboxUnavailableException ex)
        {
            return Shown("run_command", command.ToString(), $"Error: {ex.Message}");
        }

        var verdict = result.TimedOut ? $"timed out after {options.CommandTimeout}" : $"exit code {result.ExitCode}";
        var unsandboxed = result.Sandboxed ? "" : "\n[warning: this ran WITHOUT a sandbox (Sandbox:Mode=none)]";
        return Shown("run_command", command.ToString(), Truncate($"`{command}`: {verdict}{unsandboxed}\n{result.Output}"));
    }

    private static string? ProblemOf(string? program, string[] arguments)
    {
        if (string.IsNullOrWhiteSpace(program))
        {
            return "'program' must name a program.";
        }

        if (program.Contains('\0') || arguments.Any(a => a is null || a.Contains('\0')))
        {
            return "the program and its arguments must not contain NUL characters or be null.";
        }

        if (arguments.Length > MaxArguments || arguments.Any(a => a.Length > MaxArgumentLength))
        {
            return $"at most {MaxArguments} arguments of at most {MaxArgumentLength} characters each; write a script file and run it instead.";
        }

        return null;
    }
}
