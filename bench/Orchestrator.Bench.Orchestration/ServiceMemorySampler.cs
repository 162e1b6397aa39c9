using System.Globalization;

namespace Orchestrator.Bench.Orchestration;

/// <summary>
/// The peak resident memory of each service of a running system, sampled from /proc while it works: the services are
/// the processes below <c>root</c> (their ancestor, e.g. <c>./run.sh</c>) whose command line runs one of this
/// repository's service builds. Used for the demo, where the agents do real work (the model loop, git, builds).
/// </summary>
internal sealed class ServiceMemorySampler(int root, string repositoryRoot)
{
    private static readonly (string Service, string Project)[] ServiceProjects =
    [
        ("orchestrator", "Orchestrator"), ("coder", "Orchestrator.Agents.Coder"), ("tester", "Orchestrator.Agents.Tester"),
        ("docs", "Orchestrator.Agents.Docs"), ("merge", "Orchestrator.Merge"),
    ];

    private readonly Dictionary<string, double> _peaks = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, double> Peaks => _peaks;

    /// <summary>Samples every <paramref name="interval"/> until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            SampleOnce();
            try
            {
                await Task.Delay(interval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public void SampleOnce()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || ServiceOf(pid) is not { } service || !DescendsFrom(pid))
            {
                continue;
            }

            try
            {
                var megabytes = ServiceProcess.ResidentMegabytesOf(pid);
                _peaks[service] = Math.Max(_peaks.GetValueOrDefault(service), megabytes);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // The process ended between the listing and the reading.
            }
        }
    }

    private string? ServiceOf(int pid)
    {
        string commandLine;
        try
        {
            // Arguments end with NUL: as spaces, the last one ends with a space too.
            commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        foreach (var (service, project) in ServiceProjects)
        {
            var build = Path.Combine(repositoryRoot, "src", project, "bin") + Path.DirectorySeparatorChar;
            // `dotnet <build>/<Project>.dll` or the build's own executable `<build>/<Project>`.
            if (commandLine.Contains(build, StringComparison.Ordinal)
                && (commandLine.Contains($"/{project}.dll ", StringComparison.Ordinal) || commandLine.Contains($"/{project} ", StringComparison.Ordinal)))
            {
                return service;
            }
        }

        return null;
    }

    private bool DescendsFrom(int pid)
    {
        for (var current = pid; current > 1;)
        {
            if (current == root)
            {
                return true;
            }

            try
            {
                // /proc/<pid>/stat: "pid (name) state ppid ..."; the name may hold spaces, so read after its ')'.
                var stat = File.ReadAllText($"/proc/{current}/stat");
                current = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                return false;
            }
        }

        return false;
    }
}
