using Microsoft.SemanticKernel;
using Orchestrator.Messaging.Roles;

namespace Orchestrator.Agents.Tests;

/// <summary>run_command: one program and its argument list, in the real sandbox, bounded in time and output.</summary>
public sealed partial class WorkspacePluginTests
{
    [Fact]
    public async Task Run_command_passes_each_argument_as_it_is_with_no_shell_in_between()
    {
        var output = await Plugin().RunCommandAsync("printf", ["%s|", "a b", "$(echo injected)", "*", "; rm -rf ."], _ct)
            .WaitAsync(TimeSpan.FromSeconds(30), _ct);

        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("`printf ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("`: exit code 0", lines[0], StringComparison.Ordinal);
        Assert.Equal("a b|$(echo injected)|*|; rm -rf .|", lines[1]);
        Assert.Single(_activity.Calls);
    }

    [Fact]
    public async Task Run_command_runs_in_the_workspace_which_it_may_change_and_nothing_outside()
    {
        Write("ci/build.yml", "on: push\n");

        var output = await Plugin().RunCommandAsync("sh", ["-c", "pwd; cp ci/build.yml 'ci/copy of build.yml'; echo x > ../outside/secret.txt"], _ct)
            .WaitAsync(TimeSpan.FromSeconds(30), _ct);

        Assert.Contains(new Orchestrator.Workspaces.WorkspaceRoot(_workspace).Directory, output, StringComparison.Ordinal);
        Assert.Equal("on: push\n", Read("ci/copy of build.yml"));
        Assert.DoesNotContain("exit code 0", output, StringComparison.Ordinal);
        AssertOutsideUntouched();
    }

    [Fact]
    public async Task Run_command_cannot_plant_a_hook_in_the_clones_git_directory_which_the_service_uses_afterwards()
    {
        Write(".git/config", "[core]\n");
        Directory.CreateDirectory(Path.Combine(_workspace, ".git", "hooks"));

        var output = await Plugin().RunCommandAsync("sh", ["-c", "echo 'curl evil' > .git/hooks/pre-commit; echo '[core] fsmonitor = evil' >> .git/config"], _ct)
            .WaitAsync(TimeSpan.FromSeconds(30), _ct);

        Assert.DoesNotContain("exit code 0", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_workspace, ".git", "hooks", "pre-commit")));
        Assert.Equal("[core]\n", Read(".git/config"));
    }

    [Fact]
    public async Task Run_command_is_stopped_at_the_command_timeout()
    {
        var plugin = Plugin(new AgentOptions { CommandTimeout = TimeSpan.FromSeconds(1) });

        var output = await plugin.RunCommandAsync("sh", ["-c", "echo started; sleep 600"], _ct).WaitAsync(Eventually.DefaultTimeout, _ct);

        Assert.StartsWith("`sh -c 'echo started; sleep 600'`: timed out after 00:00:01", output, StringComparison.Ordinal);
        Assert.Contains("started", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_command_output_is_cut_to_the_output_cap_with_a_note()
    {
        var plugin = Plugin(new AgentOptions { MaxToolOutputChars = 1_000 });

        var output = await plugin.RunCommandAsync("sh", ["-c", "printf '%050000d' 0"], _ct).WaitAsync(TimeSpan.FromSeconds(30), _ct);

        Assert.StartsWith("`sh -c 'printf '\\''%050000d'\\'' 0'`: exit code 0\n", output, StringComparison.Ordinal);
        Assert.InRange(output.Length, 500, 1_200);
        Assert.Contains("truncated", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_command_sees_no_secret_of_the_service_in_its_environment()
    {
        const string Variable = "ConnectionStrings__llm";
        const string Canary = "Endpoint=http://model;Key=RUN-COMMAND-CANARY-7f3a";
        Environment.SetEnvironmentVariable(Variable, Canary);
        try
        {
            var output = await Plugin().RunCommandAsync("sh", ["-c", "env; cat /proc/1/environ 2>/dev/null | tr '\\0' '\\n'"], _ct)
                .WaitAsync(TimeSpan.FromSeconds(30), _ct);

            Assert.StartsWith("`sh -c", output, StringComparison.Ordinal);
            Assert.Contains("PATH=", output, StringComparison.Ordinal);
            Assert.DoesNotContain("RUN-COMMAND-CANARY", output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }

    [Theory]
    [InlineData("", "Error: 'program' must name a program.")]
    [InlineData("ls\0-la", "Error: the program and its arguments must not contain NUL")]
    public async Task Run_command_refuses_a_missing_or_malformed_program_without_running_anything(string program, string expected)
    {
        var output = await Plugin().RunCommandAsync(program, [], _ct).WaitAsync(TimeSpan.FromSeconds(30), _ct);

        Assert.StartsWith(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_is_offered_only_the_tools_of_its_tool_set()
    {
        static IEnumerable<string> Offered(KernelPlugin plugin) => plugin.Select(f => f.Name).Order(StringComparer.Ordinal);

        var builtIn = WorkspaceTools.Plugin(Plugin(), AgentTools.Default);
        var ops = WorkspaceTools.Plugin(Plugin(), [AgentTools.ReadFile, AgentTools.EditFile, AgentTools.RunCommand]);

        Assert.Equal(WorkspacePlugin.PluginName, ops.Name);
        Assert.Equal(["edit_file", "list_files", "read_file", "run_build", "run_tests", "search", "write_file"], Offered(builtIn));
        Assert.Equal(["edit_file", "read_file", "run_command"], Offered(ops));
        Assert.Equal(["list_files", "read_file", "search"], Offered(WorkspaceTools.Plugin(Plugin(), AgentTools.ReadOnly)));
        // Every function the plugin has is a tool a role can be given, and the other way round.
        Assert.Equal(AgentTools.All.Order(StringComparer.Ordinal), Offered(WorkspaceTools.Plugin(Plugin(), AgentTools.All)));
    }
}
