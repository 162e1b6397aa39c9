using System.Globalization;

namespace Orchestrator.Workspaces;

// The bwrap command line for one run (bubblewrap 0.8). Order matters: bwrap applies its options one after the other,
// so a later mount covers an earlier one, and the root is made read-only last.
internal static class BubblewrapArguments
{
    // World-readable configuration under /etc that is not the command's business (the broker's password file).
    private static readonly string[] HiddenFolders = ["/etc/rabbitmq", "/etc/ssl/private"];

    public static IReadOnlyList<string> For(SandboxLayout layout, RepositoryCommand command, long memoryBytes, int maxProcesses)
    {
        var arguments = new List<string>();
        AddNamespaces(arguments, layout);
        var mountPoints = new List<string>();
        AddSystem(arguments, layout, mountPoints);
        AddScratch(arguments, layout.TemporaryBytes, mountPoints);
        var binds = AddBinds(arguments, layout, mountPoints);
        OpenCreatedParents(arguments, binds, mountPoints);
        arguments.AddRange(["--remount-ro", "/", "--chdir", layout.Workspace]);
        AddCommand(arguments, layout.User, command, memoryBytes, maxProcesses);
        return arguments;
    }

    private static void AddNamespaces(List<string> arguments, SandboxLayout layout)
    {
        // --die-with-parent: the command dies with the service; --new-session: it cannot type into a terminal of ours.
        arguments.AddRange(["--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]);
        arguments.AddRange(["--hostname", "sandbox"]);
        if (!layout.AllowNetwork)
        {
            // Only a loopback device of its own: nothing of the host's network, not even its 127.0.0.1.
            arguments.Add("--unshare-net");
        }

        if (layout.User is null)
        {
            // Unprivileged bwrap needs a user namespace anyway; the command may not make further ones.
            arguments.AddRange(["--unshare-user", "--disable-userns"]);
        }
    }

    private static void AddSystem(List<string> arguments, SandboxLayout layout, List<string> mountPoints)
    {
        foreach (var folder in layout.ReadOnlyFolders)
        {
            if (PathResolution.ReadLink(folder) is { } target && folder.Count(c => c == '/') == 1)
            {
                arguments.AddRange(["--symlink", target, folder]);
            }
            else if (Path.Exists(folder))
            {
                arguments.AddRange(["--ro-bind", folder, folder]);
                mountPoints.Add(folder);
            }
        }

        foreach (var hidden in HiddenFolders.Where(Directory.Exists))
        {
            arguments.AddRange(["--tmpfs", hidden, "--remount-ro", hidden]);
        }

        arguments.AddRange(["--proc", "/proc", "--dev", "/dev"]);
        arguments.AddRange(["--symlink", SandboxLayout.Temp, "/var/tmp"]);
    }

    // In memory and size-bounded, gone with the sandbox: nothing a run writes outside its workspace outlives it.
    private static void AddScratch(List<string> arguments, long bytes, List<string> mountPoints)
    {
        var size = bytes.ToString(CultureInfo.InvariantCulture);
        arguments.AddRange(["--perms", "1777", "--size", size, "--tmpfs", "/dev/shm"]);
        arguments.AddRange(["--perms", "1777", "--size", size, "--tmpfs", SandboxLayout.Temp]);
        arguments.AddRange(["--perms", "0777", "--dir", SandboxLayout.Home]);
        mountPoints.AddRange(["/proc", "/dev", SandboxLayout.Temp]);
    }

    private static List<string> AddBinds(List<string> arguments, SandboxLayout layout, List<string> mountPoints)
    {
        List<SandboxMount> binds = [new SandboxMount(layout.Workspace, Writable: true), .. layout.Mounts];
        foreach (var bind in binds)
        {
            arguments.AddRange([bind.Writable ? "--bind" : "--ro-bind", bind.Path, bind.Path]);
        }

        return [.. binds.Select(bind => bind.Path)];
    }

    // bwrap makes the missing parents of a mount point itself, readable by root alone; the command's uid must pass them.
    private static void OpenCreatedParents(List<string> arguments, List<string> binds, List<string> mountPoints)
    {
        var hostBacked = mountPoints.Where(point => point != SandboxLayout.Temp && point != "/dev").Concat(binds).ToList();
        var created = binds
            .SelectMany(Parents)
            .Where(parent => !mountPoints.Contains(parent) && !binds.Contains(parent))
            .Where(parent => !hostBacked.Any(point => PathResolution.IsSameOrInside(parent, point)))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(parent => parent.Length);
        foreach (var parent in created)
        {
            arguments.AddRange(["--chmod", "0755", parent]);
        }
    }

    private static IEnumerable<string> Parents(string path)
    {
        for (var parent = Path.GetDirectoryName(path); parent is not null && parent != "/"; parent = Path.GetDirectoryName(parent))
        {
            yield return parent;
        }
    }

    private static void AddCommand(List<string> arguments, SandboxUser? user, RepositoryCommand command, long memoryBytes, int maxProcesses)
    {
        if (user is not null)
        {
            // Root's bwrap keeps every capability by default: keep only what dropping to the sandbox uid needs.
            // (DAC_READ_SEARCH: bwrap enters the workspace, the uid's for the run, before setpriv drops every capability.)
            arguments.AddRange(["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP", "--cap-add", "CAP_DAC_READ_SEARCH"]);
        }

        arguments.Add("--");
        if (user is not null)
        {
            var id = user.Id.ToString(CultureInfo.InvariantCulture);
            arguments.AddRange(["setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--"]);
        }

        // RLIMIT_DATA counts memory a process has written to, not address space reserved (the .NET GC reserves far
        // more than it uses, so RLIMIT_AS would break builds); RLIMIT_NPROC counts threads too.
        arguments.AddRange([
            "prlimit",
            $"--data={memoryBytes.ToString(CultureInfo.InvariantCulture)}",
            $"--nproc={maxProcesses.ToString(CultureInfo.InvariantCulture)}",
            "--core=0",
            "--",
            command.FileName,
        ]);
        arguments.AddRange(command.Arguments);
    }
}
