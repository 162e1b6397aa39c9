using System.Globalization;
using System.Runtime.InteropServices;

namespace Orchestrator.Bench.Orchestration;

internal static class Machine
{
    /// <summary>The machine the figures were taken on, read at run time, with its load when the run began.</summary>
    public static MachineInfo Describe() => new(
        Environment.ProcessorCount,
        MemoryMegabytes(),
        OsName(),
        RuntimeInformation.FrameworkDescription.Replace(".NET ", string.Empty, StringComparison.Ordinal),
        LoadAverage());

    /// <summary>The one-minute load average (/proc/loadavg), 0 where unknown.</summary>
    public static double LoadAverage() =>
        File.Exists("/proc/loadavg")
            ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture)
            : 0;

    private static long MemoryMegabytes()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }

    private static string OsName()
    {
        var pretty = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            : null;
        return pretty?["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription;
    }
}
