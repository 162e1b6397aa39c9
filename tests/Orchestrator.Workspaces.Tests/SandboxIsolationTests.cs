using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Workspaces.Tests;

/// <summary>What a repository command can see and change, against the real bubblewrap (scripts/bubblewrap.sh installs it).</summary>
public sealed class SandboxIsolationTests : IDisposable
{
    private readonly string _secret = $"CANARY-{Guid.NewGuid():N}";
    private readonly TempDirectory _temp = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly string _workspace;
    private readonly string _workRoot;
    private readonly string _homeCanary;

    public SandboxIsolationTests()
    {
        // The service's work root: the workspace and, next to it, another feature's clone.
        _workRoot = _temp.CreateDirectory("work-root");
        _workspace = Directory.CreateDirectory(Path.Combine(_workRoot, "workspace")).FullName;
        _temp.WriteFile("work-root/other-workspace/secret.txt", _secret);
        _homeCanary = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), $".sandbox-canary-{Guid.NewGuid():N}");
        File.WriteAllText(_homeCanary, _secret);
    }

    public void Dispose()
    {
        File.Delete(_homeCanary);
        _temp.Dispose();
    }

    [Fact]
    public async Task Runs_the_command_in_its_workspace_which_it_may_change_and_says_it_was_sandboxed()
    {
        var result = await SandboxShell.RunAsync(_workspace, "pwd; echo built > output.txt", _ct);

        Assert.True(result.Succeeded, result.Output);
        Assert.True(result.Sandboxed);
        Assert.False(result.Killed);
        Assert.Contains(_workspace, result.Output, StringComparison.Ordinal);
        Assert.Equal("built\n", File.ReadAllText(Path.Combine(_workspace, "output.txt")));
    }

    [Fact]
    public async Task The_services_home_folder_and_other_workspaces_are_out_of_sight()
    {
        var home = Path.GetDirectoryName(_homeCanary)!;

        var result = await SandboxShell.RunAsync(
            _workspace,
            """cat "$1" "$2"/other-workspace/secret.txt; for p in "$3"/.nuget/NuGet/NuGet.Config "$3"/.microsoft/usersecrets "$3"/.orchestrator; do test -e "$p" && echo "VISIBLE $p"; done; echo end""",
            _ct,
            arguments: [_homeCanary, _workRoot, home]);

        Assert.Contains("end", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(_secret, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("VISIBLE", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_services_environment_is_out_of_sight_in_env_and_in_proc()
    {
        Environment.SetEnvironmentVariable("ORCHESTRATOR_SANDBOX_CANARY", _secret);
        try
        {
            var result = await SandboxShell.RunAsync(
                _workspace, "env; cat /proc/1/environ /proc/$PPID/environ /proc/[0-9]*/environ; echo; echo end", _ct);

            Assert.Contains("end", result.Output, StringComparison.Ordinal);
            Assert.Contains("HOME=/tmp/home", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(_secret, result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("ORCHESTRATOR_SANDBOX_CANARY", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ORCHESTRATOR_SANDBOX_CANARY", null);
        }
    }

    [Fact]
    public async Task Writes_outside_the_workspace_never_reach_the_host()
    {
        var name = $"escape-{Guid.NewGuid():N}";
        var home = Path.GetDirectoryName(_homeCanary)!;
        string[] targets = [Path.Combine(Path.GetTempPath(), name), Path.Combine(_workRoot, name), Path.Combine(home, name), Path.Combine("/var/tmp", name)];

        var result = await SandboxShell.RunAsync(
            _workspace,
            """for t in "$@"; do echo x > "$t"; done; echo x > ../"$(basename "$1")"; echo end""",
            _ct,
            arguments: targets);

        Assert.Contains("end", result.Output, StringComparison.Ordinal);
        Assert.All(targets, target => Assert.False(File.Exists(target), $"{target} was written: {result.Output}"));
        Assert.Equal([Path.Combine(_workRoot, "other-workspace"), _workspace], Directory.EnumerateFileSystemEntries(_workRoot).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_workspaces_git_directory_is_read_only_so_nothing_can_be_planted_for_the_services_git()
    {
        var config = _temp.WriteFile("work-root/workspace/.git/config", "[core]\n\tbare = false\n");

        var result = await SandboxShell.RunAsync(
            _workspace, """printf '[core]\n\tfsmonitor = /tmp/evil\n' >> .git/config; mkdir -p .git/hooks && echo x > .git/hooks/pre-commit; echo end""", _ct);

        Assert.Contains("end", result.Output, StringComparison.Ordinal);
        Assert.Equal("[core]\n\tbare = false\n", File.ReadAllText(config));
        Assert.False(File.Exists(Path.Combine(_workspace, ".git", "hooks", "pre-commit")));
    }

    [Fact]
    public async Task Without_the_network_a_listener_of_the_host_on_loopback_cannot_be_reached()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        const string connect = """bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$1"' && echo CONNECTED'; echo end""";

        var offline = await SandboxShell.RunAsync(_workspace, connect, _ct, arguments: [port]);
        var pendingOffline = listener.Pending();
        // The same command with the network (a restore step) does connect: the test can tell the difference.
        var online = await SandboxShell.RunAsync(_workspace, connect, _ct, allowNetwork: true, arguments: [port]);

        Assert.Contains("end", offline.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("CONNECTED", offline.Output, StringComparison.Ordinal);
        Assert.False(pendingOffline);
        Assert.Contains("CONNECTED", online.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_background_or_daemonised_process_does_not_outlive_the_command()
    {
        var marker = $"600.{Random.Shared.Next(1000, 9999)}{Random.Shared.Next(1000, 9999)}";

        var result = await SandboxShell.RunAsync(
            _workspace, """sleep "$1" & setsid sleep "$1" & nohup sleep "$1" >/dev/null 2>&1 & kill -0 $! && echo alive""", _ct, arguments: [marker]);

        Assert.Contains("alive", result.Output, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => !SandboxShell.HostHasProcessWith($"sleep\0{marker}"), "the background sleeps to be gone");
    }

    [Fact]
    public async Task The_workspace_belongs_to_its_owner_again_after_the_run()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "Only a service running as root lends the workspace to a sandbox uid.");
        var owner = FileKinds.OwnerOf(_workspace);

        var result = await SandboxShell.RunAsync(_workspace, "id -u; mkdir made && echo x > made/file", _ct);

        Assert.True(result.Succeeded, result.Output);
        Assert.NotEqual("0", result.Output.Trim().Split('\n')[0]);
        Assert.Equal(owner, FileKinds.OwnerOf(Path.Combine(_workspace, "made", "file")));
        Assert.Equal(owner, FileKinds.OwnerOf(_workspace));
    }

    [Fact]
    public async Task Git_inside_reads_a_local_clone_whose_hard_linked_origin_keeps_its_owner()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "Only a service running as root lends the workspace to a sandbox uid.");
        var processes = Runners.Create();
        var origin = _temp.CreateDirectory("origin");
        var clone = Path.Combine(_workRoot, "clone");
        foreach (var arguments in new string[][]
        {
            ["git", "init", "-q", "-b", "main", origin],
            ["git", "-C", origin, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "first"],
            // A local clone hard-links the origin's object files: after this both share inodes owned by 4321.
            ["git", "clone", "-q", origin, clone],
            ["chown", "-R", "4321:4321", origin],
        })
        {
            var step = await processes.RunAsync(new ProcessSpec(arguments[0], arguments[1..], _temp.Path), _ct);
            Assert.True(step.Succeeded, step.Output);
        }

        var objects = Directory.EnumerateFiles(Path.Combine(origin, ".git", "objects"), "*", SearchOption.AllDirectories)
            .Where(file => !file.Contains("info", StringComparison.Ordinal) && !file.Contains("pack", StringComparison.Ordinal)).ToList();

        var result = await SandboxShell.RunAsync(clone, "git log --format=%s", _ct);

        Assert.True(result.Succeeded, result.Output);
        Assert.Equal("first\n", result.Output);
        Assert.NotEmpty(objects);
        Assert.All(objects, file => Assert.Equal((4321u, 4321u), FileKinds.OwnerOf(file)));
    }

    [Fact]
    public async Task Without_bubblewrap_commands_are_refused_with_the_reason_and_the_fix()
    {
        var options = new SandboxOptions { BubblewrapPath = Path.Combine(_temp.Path, "no-such-bwrap") };

        var error = await Assert.ThrowsAsync<SandboxUnavailableException>(
            () => SandboxShell.RunAsync(_workspace, "echo ran > ran.txt", _ct, options: options));

        Assert.Contains("no-such-bwrap", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install bubblewrap", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sandbox:Mode=none", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_workspace, "ran.txt")));
    }
}
