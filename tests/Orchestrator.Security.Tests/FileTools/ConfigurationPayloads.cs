using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agents;
using Orchestrator.Workspaces;

namespace Orchestrator.Security.Tests.FileTools;

/// <summary>
/// Build configuration a repository (or a model's edit) can plant for <c>run_build</c> to read: linked to a device or to
/// a file outside, a FIFO, a huge file. Each ends the tool call with an answer, never a hang or a command from outside.
/// </summary>
public sealed class ConfigurationPayloads : IDisposable
{
    // What a followed link or an over-read file would run: its trace is a file the test looks for.
    private const string Planted = """{ "build": ["sh", "-c", "echo ran > ran.txt"] }""";

    private readonly TempDirectory _temp = new();
    private readonly string _workspace;
    private readonly string _outside;

    public ConfigurationPayloads()
    {
        _workspace = _temp.CreateDirectory("workspace");
        _outside = _temp.CreateDirectory("outside");
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>Payload name → (how it is planted, what run_build answers).</summary>
    private static readonly Dictionary<string, (Func<ConfigurationPayloads, Task> Plant, string Answer)> Payloads = new()
    {
        [".orchestrator.json linked to /dev/zero"] = (t => t.LinkAsync(".orchestrator.json", "/dev/zero"), "outside the workspace"),
        [".orchestrator.json linked to a file outside"] = (t => t.LinkAsync(".orchestrator.json", t.WriteOutside()), "outside the workspace"),
        [".orchestrator.json as a FIFO"] = (t => t.FifoAsync(".orchestrator.json"), "not a regular file"),
        [".orchestrator.json of 10 MB"] = (t => t.WriteAsync(".orchestrator.json", Planted + new string(' ', 10_000_000)), "larger than 65536 bytes"),
        [".orchestrator.json as a directory"] = (t => t.DirectoryAsync(".orchestrator.json"), "no build command"),
        ["package.json linked to /dev/zero"] = (t => t.LinkAsync("package.json", "/dev/zero"), "no build command"),
        ["package.json as a FIFO"] = (t => t.FifoAsync("package.json"), "no build command"),
    };

    public static TheoryData<string> Names => new(Payloads.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Run_build_answers_with_an_error_and_runs_nothing(string payload)
    {
        var (plant, answer) = Payloads[payload];
        await plant(this);
        var tools = new WorkspacePlugin(new WorkspaceRoot(_workspace), Runners.Sandboxed(), new AgentOptions(),
            new ToolActivityLog(NullLogger.Instance, "attacker"));

        var output = await tools.RunBuildAsync(TestContext.Current.CancellationToken)
            .WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);

        Assert.StartsWith("Error: ", output, StringComparison.Ordinal);
        Assert.Contains(answer, output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_workspace, "ran.txt")));
    }

    [Fact]
    public async Task Control_a_plain_configuration_runs_its_build_in_the_sandbox()
    {
        await WriteAsync(".orchestrator.json", Planted);
        var tools = new WorkspacePlugin(new WorkspaceRoot(_workspace), Runners.Sandboxed(), new AgentOptions(),
            new ToolActivityLog(NullLogger.Instance, "attacker"));

        var output = await tools.RunBuildAsync(TestContext.Current.CancellationToken)
            .WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);

        Assert.StartsWith("`sh -c 'echo ran > ran.txt'`: exit code 0", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_workspace, "ran.txt")));
    }

    private string WriteOutside()
    {
        var file = Path.Combine(_outside, "commands.json");
        File.WriteAllText(file, Planted);
        return file;
    }

    private Task LinkAsync(string name, string target)
    {
        File.CreateSymbolicLink(Path.Combine(_workspace, name), target);
        return Task.CompletedTask;
    }

    private Task WriteAsync(string name, string content) => File.WriteAllTextAsync(Path.Combine(_workspace, name), content);

    private Task DirectoryAsync(string name)
    {
        Directory.CreateDirectory(Path.Combine(_workspace, name));
        return Task.CompletedTask;
    }

    private async Task FifoAsync(string name)
    {
        var made = await SandboxShell.RunAsync(_workspace, $"mkfifo {name}", TestContext.Current.CancellationToken);
        Assert.True(made.Succeeded, made.Output);
    }
}
