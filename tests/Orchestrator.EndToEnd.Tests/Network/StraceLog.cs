using System.Net;
using System.Text.RegularExpressions;

namespace Orchestrator.EndToEnd.Tests.Network;

/// <summary>One address a traced process connected or sent to, with the command line of that process at the time.</summary>
public sealed record NetworkDestination(int Pid, string Call, IPAddress Address, int Port, string CommandLine)
{
    /// <summary>127.0.0.0/8, <c>::1</c>, or an IPv4 loopback address mapped into IPv6 (<c>::ffff:127.x.x.x</c>).</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address.IsIPv4MappedToIPv6 ? Address.MapToIPv4() : Address);

    public string Endpoint => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? $"[{Address}]:{Port}"
        : $"{Address}:{Port}";
}

/// <summary>
/// Reads what <c>strace -f --pidns-translation -e trace=connect,sendto,sendmsg,sendmmsg,execve,clone,clone3,fork,vfork</c>
/// wrote: every AF_INET/AF_INET6 address of a connect, sendto, sendmsg or sendmmsg (whatever the call returned: an
/// attempt counts), and which program asked for it. strace prefixes each line with the thread id, so the command line
/// comes from the last successful <c>execve</c> of that thread, else of whoever cloned it (a thread or a child that has
/// not run a program of its own yet runs its creator's).
/// </summary>
public sealed partial class StraceLog
{
    private readonly Dictionary<int, (int Parent, int Index)> _createdBy = [];
    private readonly Dictionary<int, List<(int Index, string CommandLine)>> _programs = [];
    private readonly List<(int Pid, int Index, string Call, IPAddress Address, int Port)> _sockets = [];

    private StraceLog()
    {
    }

    /// <summary>Every AF_INET/AF_INET6 destination, in the order the calls were made.</summary>
    public IReadOnlyList<NetworkDestination> Destinations { get; private set; } = [];

    /// <summary>Processes the run started (threads excluded), the first one included.</summary>
    public int Processes { get; private set; }

    /// <summary>The command line of every program run (successful <c>execve</c> calls), in no particular order.</summary>
    public IReadOnlyList<string> Programs { get; private set; } = [];

    public int ProgramsRun => Programs.Count;

    public IReadOnlyList<NetworkDestination> OutsideLoopback => Destinations.Where(d => !d.IsLoopback).ToList();

    public static StraceLog Parse(IEnumerable<string> lines)
    {
        var log = new StraceLog();
        var processes = 0;
        var index = 0;
        foreach (var (pid, call) in CompleteCalls(lines))
        {
            index++;
            processes += log.Read(pid, call, index);
        }

        log.Processes = processes + 1;
        log.Programs = log._programs.Values.SelectMany(programs => programs.Select(p => p.CommandLine)).ToList();
        log.Destinations = log._sockets
            .Select(s => new NetworkDestination(s.Pid, s.Call, s.Address, s.Port, log.CommandLineOf(s.Pid, s.Index)))
            .ToList();
        return log;
    }

    /// <summary>One line per destination outside loopback: where, how often, by which program.</summary>
    public static string Describe(IEnumerable<NetworkDestination> destinations) => string.Join('\n', destinations
        .GroupBy(d => (d.Endpoint, d.Call, d.CommandLine))
        .Select(group => $"  {group.Key.Endpoint} ({group.Key.Call} ×{group.Count()}) by pid {group.First().Pid}: {group.Key.CommandLine}"));

    // Returns 1 when the call started a new process (not a thread).
    private int Read(int pid, string call, int index)
    {
        if (Clone().Match(call) is { Success: true } clone)
        {
            var child = int.Parse(clone.Groups["translated"].Success ? clone.Groups["translated"].Value : clone.Groups["child"].Value,
                System.Globalization.CultureInfo.InvariantCulture);
            _createdBy[child] = (pid, index);
            return clone.Groups["args"].Value.Contains("CLONE_THREAD", StringComparison.Ordinal) ? 0 : 1;
        }

        if (Execve().Match(call) is { Success: true } execve)
        {
            // Only \" and \\ matter for reading a command line; other C escapes (\n, octal) are left as strace wrote them.
            var arguments = Quoted().Matches(execve.Groups["argv"].Value)
                .Select(m => m.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal));
            if (!_programs.TryGetValue(pid, out var programs))
            {
                _programs[pid] = programs = [];
            }

            programs.Add((index, string.Join(' ', arguments)));
            return 0;
        }

        if (SocketCall().Match(call) is { Success: true } socket)
        {
            foreach (Match address in SocketAddress().Matches(call))
            {
                var text = address.Groups["v4"].Success ? address.Groups["v4"].Value : address.Groups["v6"].Value;
                var port = address.Groups["port4"].Success ? address.Groups["port4"].Value : address.Groups["port6"].Value;
                _sockets.Add((pid, index, socket.Groups[1].Value, IPAddress.Parse(text), int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return 0;
    }

    private string CommandLineOf(int pid, int index)
    {
        var (current, at) = (pid, index);
        // Bounded: a pid reused within one run could in theory make a cycle.
        for (var hops = 0; hops < 10_000; hops++)
        {
            if (_programs.TryGetValue(current, out var programs) && programs.LastOrDefault(p => p.Index <= at) is { CommandLine: not null } program)
            {
                return program.CommandLine;
            }

            if (!_createdBy.TryGetValue(current, out var creator))
            {
                break;
            }

            (current, at) = creator;
        }

        return $"(pid {pid}: no program seen in the trace)";
    }

    /// <summary>
    /// The calls as whole lines: with <c>-f</c>, strace splits a call that another thread interrupts into
    /// <c>… &lt;unfinished ...&gt;</c> and <c>&lt;... name resumed&gt; …</c>.
    /// </summary>
    private static IEnumerable<(int Pid, string Call)> CompleteCalls(IEnumerable<string> lines)
    {
        var unfinished = new Dictionary<int, string>();
        foreach (var line in lines)
        {
            if (Line().Match(line) is not { Success: true } match)
            {
                continue;
            }

            var pid = int.Parse(match.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var call = match.Groups["call"].Value;
            if (call.EndsWith(" <unfinished ...>", StringComparison.Ordinal))
            {
                unfinished[pid] = call[..^" <unfinished ...>".Length];
                continue;
            }

            if (Resumed().Match(call) is { Success: true } resumed)
            {
                if (!unfinished.Remove(pid, out var start))
                {
                    continue;
                }

                call = start + resumed.Groups["rest"].Value;
            }

            yield return (pid, call);
        }
    }

    [GeneratedRegex(@"^(?<pid>\d+) +(?<call>.*)$")]
    private static partial Regex Line();

    [GeneratedRegex(@"^<\.\.\. \w+ resumed>(?<rest>.*)$")]
    private static partial Regex Resumed();

    // `= 22 /* 18392 in strace's PID NS */` for a child in another PID namespace (a sandbox): the second number is the one
    // strace prefixes that child's lines with.
    [GeneratedRegex(@"^(?:clone3?|fork|vfork)\((?<args>.*)\)\s+= (?<child>\d+)(?: /\* (?<translated>\d+) in strace's PID NS \*/)?$")]
    private static partial Regex Clone();

    [GeneratedRegex(@"^execve\(""(?:[^""\\]|\\.)*"", \[(?<argv>.*)\](?:\.\.\.)?, .*\)\s+= 0$")]
    private static partial Regex Execve();

    [GeneratedRegex(@"""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^(connect|sendto|sendmsg|sendmmsg)\(")]
    private static partial Regex SocketCall();

    // strace prints a payload's own quotes as \", so text inside a sent buffer cannot look like an address here.
    [GeneratedRegex(@"sa_family=AF_INET, sin_port=htons\((?<port4>\d+)\), sin_addr=inet_addr\(""(?<v4>[0-9.]+)""\)|sa_family=AF_INET6, sin6_port=htons\((?<port6>\d+)\), sin6_flowinfo=[^,]*, inet_pton\(AF_INET6, ""(?<v6>[0-9a-fA-F:.]+)""")]
    private static partial Regex SocketAddress();
}
