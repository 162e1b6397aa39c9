using System.Runtime.Versioning;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agents;
using Orchestrator.Workspaces;

namespace Orchestrator.Security.Tests.FileTools;

/// <summary>
/// What a repository or a sandboxed build can leave in a workspace for the file tools to trip over: FIFOs, huge and
/// non-UTF-8 files, hard links, device nodes, links made at build time, absurdly deep paths. Each is refused or bounded.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PlantedFilePayloads : IAsyncLifetime
{
    private const string Secret = "CANARY-OUTSIDE-THE-WORKSPACE";
    private const long SixHundredMegabytes = 600L * 1024 * 1024;

    private readonly TempDirectory _temp = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly string _workspace;

    public PlantedFilePayloads()
    {
        _temp.WriteFile("outside/secret.txt", Secret + "\n");
        _workspace = _temp.Combine("workspace");
    }

    public async ValueTask InitializeAsync()
    {
        await GitRepository.InitAsync(Runners.Create(), _workspace, "main", _ct);
        _temp.WriteFile("workspace/README.md", "# Calculator\nneedle\n");
    }

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }

    private WorkspacePlugin Tools(int maxToolOutputChars = 16_000) =>
        new(new WorkspaceRoot(_workspace), Runners.Sandboxed(), new AgentOptions { MaxToolOutputChars = maxToolOutputChars },
            new ToolActivityLog(NullLogger.Instance, "attacker"));

    private async Task<RepositoryCommandResult> BuildAsync(string script)
    {
        var result = await SandboxShell.RunAsync(_workspace, script, _ct);
        Assert.True(result.Sandboxed);
        return result;
    }

    private string Sparse(string name, long length, string start = "")
    {
        using var file = File.Create(Path.Combine(_workspace, name));
        file.Write(Encoding.UTF8.GetBytes(start));
        file.SetLength(length);
        return file.Name;
    }

    [Fact]
    public async Task A_fifo_made_by_a_build_is_refused_by_every_tool_without_blocking()
    {
        Assert.True((await BuildAsync("mkfifo pipe")).Succeeded);
        var tools = Tools();

        string[] refused =
        [
            await AttackedWorkspace.BoundedAsync(() => tools.ReadFile("pipe")),
            await AttackedWorkspace.BoundedAsync(() => tools.WriteFile("pipe", "x")),
            await AttackedWorkspace.BoundedAsync(() => tools.EditFile("pipe", "a", "b")),
        ];
        var search = await AttackedWorkspace.BoundedAsync(() => tools.Search("needle", "."));

        Assert.All(refused, output => Assert.Contains("not a regular file", output, StringComparison.Ordinal));
        Assert.Equal("README.md:2: needle", search);
    }

    [Fact]
    public async Task A_600_MB_file_is_read_only_up_to_the_cap()
    {
        Sparse("huge.bin", SixHundredMegabytes);

        var output = await AttackedWorkspace.BoundedAsync(() => Tools(maxToolOutputChars: 1_000).ReadFile("huge.bin"));

        Assert.StartsWith(new string('\0', 600) + "\n... [at least ", output, StringComparison.Ordinal);
        Assert.True(output.Length < 1_100, $"{output.Length} characters came back");
    }

    [Fact]
    public async Task A_600_MB_file_is_refused_by_edit_and_left_as_it_was()
    {
        var huge = Sparse("huge.txt", SixHundredMegabytes, start: "needle");

        var output = await AttackedWorkspace.BoundedAsync(() => Tools().EditFile("huge.txt", "needle", "PWNED"));

        Assert.Equal("Error: 'huge.txt' is larger than 4000000 bytes.", output);
        Assert.Equal(SixHundredMegabytes, new FileInfo(huge).Length);
    }

    [Fact]
    public async Task A_600_MB_file_is_skipped_by_search()
    {
        Sparse("huge.txt", SixHundredMegabytes, start: "needle\n");

        var output = await AttackedWorkspace.BoundedAsync(() => Tools().Search("needle", "."));

        Assert.Equal("README.md:2: needle", output);
    }

    [Fact]
    public async Task A_non_utf8_file_is_refused_by_edit_and_left_byte_for_byte()
    {
        byte[] latin1 = [.. "caf"u8, 0xE9, (byte)'\n', 0xFF, 0xFE, 0x00, 0x80];
        var file = Path.Combine(_workspace, "latin1.txt");
        File.WriteAllBytes(file, latin1);
        var tools = Tools();

        var edit = await AttackedWorkspace.BoundedAsync(() => tools.EditFile("latin1.txt", "caf", "PWNED"));
        var read = await AttackedWorkspace.BoundedAsync(() => tools.ReadFile("latin1.txt"));

        Assert.Equal("Error: 'latin1.txt' is not UTF-8 text; edit_file only edits UTF-8 files.", edit);
        Assert.StartsWith("caf\uFFFD\n", read, StringComparison.Ordinal);
        Assert.Equal(latin1, File.ReadAllBytes(file));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData(".git/config")]
    public async Task A_hard_link_to_a_file_the_workspace_does_not_own_cannot_be_made_by_a_build(string target)
    {
        var gitConfig = File.ReadAllText(Path.Combine(_workspace, ".git", "config"));

        var result = await BuildAsync($"ln {target} linked; echo exit=$?");

        Assert.Contains("exit=1", result.Output, StringComparison.Ordinal);
        Assert.False(Path.Exists(Path.Combine(_workspace, "linked")));
        Assert.Equal(gitConfig, File.ReadAllText(Path.Combine(_workspace, ".git", "config")));
    }

    [Fact]
    public async Task A_device_node_cannot_be_made_by_a_build()
    {
        var result = await BuildAsync("mknod memory c 1 1; echo exit=$?");

        Assert.Contains("exit=1", result.Output, StringComparison.Ordinal);
        Assert.False(Path.Exists(Path.Combine(_workspace, "memory")));
    }

    [Fact]
    public async Task A_link_to_proc_self_environ_made_by_a_build_is_refused_by_the_tools()
    {
        Assert.True((await BuildAsync("ln -s /proc/self/environ environ && ln -s ../outside/secret.txt secret")).Succeeded);
        var tools = Tools();

        var environ = await AttackedWorkspace.BoundedAsync(() => tools.ReadFile("environ"));
        var secret = await AttackedWorkspace.BoundedAsync(() => tools.ReadFile("secret"));
        var search = await AttackedWorkspace.BoundedAsync(() => tools.Search("CANARY", "."));

        Assert.Contains("symbolic link that points outside the workspace", environ, StringComparison.Ordinal);
        Assert.Contains("symbolic link that points outside the workspace", secret, StringComparison.Ordinal);
        Assert.Equal("No matches for 'CANARY'.", search);
    }

    [Fact]
    public async Task A_path_of_3000_folders_is_refused_by_the_file_system_and_creates_nothing()
    {
        var deep = string.Concat(Enumerable.Repeat("a/", 3_000)) + "deep.txt";
        var tools = Tools();

        var write = await AttackedWorkspace.BoundedAsync(() => tools.WriteFile(deep, "deep"));
        var read = await AttackedWorkspace.BoundedAsync(() => tools.ReadFile(deep));

        Assert.All([write, read], output =>
        {
            Assert.StartsWith("Error: ", output, StringComparison.Ordinal);
            Assert.Contains("File name too long", output, StringComparison.Ordinal);
        });
        Assert.True(write.Length <= 16_000 + 100, $"{write.Length} characters came back");
        Assert.False(Path.Exists(Path.Combine(_workspace, "a")));
    }

    [Fact]
    public async Task Listing_a_workspace_with_a_directory_loop_does_not_follow_it()
    {
        Directory.CreateSymbolicLink(Path.Combine(_workspace, "loop"), ".");
        Directory.CreateSymbolicLink(Path.Combine(_workspace, "out"), "../outside");

        var listing = await AttackedWorkspace.BoundedAsync(() => Tools().ListFiles("."));

        Assert.DoesNotContain("loop/", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("secret.txt", listing, StringComparison.Ordinal);
        Assert.Contains("README.md", listing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_workspace_with_links_to_root_outside_and_itself_removes_only_the_workspace()
    {
        var secret = _temp.Combine("outside", "secret.txt");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead);
        Assert.True((await BuildAsync("ln -s / root && ln -s .. up && ln -s . loop && ln -s ../outside/secret.txt secret")).Succeeded);

        var error = WorkspaceDirectory.TryDelete(_workspace);

        Assert.Null(error);
        Assert.False(Path.Exists(_workspace));
        Assert.Equal(Secret + "\n", File.ReadAllText(secret));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(secret));
    }
}
