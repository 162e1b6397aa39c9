using System.Globalization;

namespace Orchestrator.Bench.Orchestration;

/// <summary>
/// The peak resident memory of each service of a running system, sampled from /proc while it works: the processes that
/// run one of this repository's service builds and were not running yet when sampling was prepared. (The AppHost's DCP
/// starts the services detached, so they are not below <c>./run.sh</c> in the process tree; a build path of this
/// checkout and a start after ours tell them apart from another system's.) Used for the demo, where the agents do real
/// work: the model loop, git, builds.
/// </summary>
internal sealed class ServiceMemorySampler(string repositoryRoot)
{
    private static readonly (string Service, string Project)[] ServiceProjects =
    [
        ("orchestrator", "Orchestrator"), ("coder", "Orchestrator.Agents.Coder"), ("tester", "Orchestrator.Agents.Tester"),
        ("docs", "Orchestrator.Agents.Docs"), ("merge", "Orchestrator.Merge"),
    ];

    private readonly Dictionary<string, double> _peaks = new(StringComparer.Ordinal);
    private readonly HashSet<int> _earlier = [];

    /// <summary>Leaves out the service processes running now: they belong to a system started before ours.</summary>
    public void ExcludeRunning()
    {
        foreach (var (pid, _) in Services())
        {
            _earlier.Add(pid);
        }
    }

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
        foreach (var (pid, service) in Services())
        {
            if (_earlier.Contains(pid))
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

    private IEnumerable<(int Pid, string Service)> Services()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ServiceOf(pid) is { } service)
            {
                yield return (pid, service);
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
}
