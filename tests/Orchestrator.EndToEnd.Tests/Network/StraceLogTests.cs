using System.Net;
using Orchestrator.EndToEnd.Tests.Network;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// The reader of the outbound-connection test's trace, on lines strace 6.1 wrote on this project's machine: a thread of
/// a program in a PID namespace of its own sending over IPv6 and IPv4, a demo service's thread asking a DNS server, a
/// sandboxed restore connecting to an IPv4 address mapped into IPv6. No system is started.
/// </summary>
public sealed class StraceLogTests
{
    // `unshare -pf /bin/sh -c /usr/bin/python3 probe.py` under the test's strace options; the probe's thread sends to
    // 2001:db8::1 and 192.0.2.1, then connects to the broker's and the API's loopback ports.
    private const string SandboxedThread = """
        28001 execve("/usr/bin/unshare", ["unshare", "-pf", "--mount-proc", "/bin/sh", "-c", "/usr/bin/python3 /tmp/outb/probe.py"], 0x7ffffbcd4358 /* 47 vars */) = 0
        28001 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fa193d27a10) = 28002
        28002 execve("/bin/sh", ["/bin/sh", "-c", "/usr/bin/python3 /tmp/outb/probe.py"], 0x7ffe5c07f450 /* 47 vars */) = 0
        28002 vfork( <unfinished ...>
        28003 execve("/usr/bin/python3", ["/usr/bin/python3", "/tmp/outb/probe.py"], 0x562f88c17d18 /* 47 vars */ <unfinished ...>
        28002 <... vfork resumed>)              = 2 /* 28003 in strace's PID NS */
        28003 <... execve resumed>)             = 0
        28003 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f7d7f340990, parent_tid=0x7f7d7f340990, exit_signal=0, stack=0x7f7d7eb40000, stack_size=0x7fff80, tls=0x7f7d7f3406c0} => {parent_tid=[3 /* 28004 in strace's PID NS */]}, 88) = 3 /* 28004 in strace's PID NS */
        28004 sendto(3, "x", 1, 0, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}, 28) = 1
        28004 sendmsg(4, {msg_name={sa_family=AF_INET, sin_port=htons(123), sin_addr=inet_addr("192.0.2.1")}, msg_namelen=16, msg_iov=[{iov_base="y", iov_len=1}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 1
        28004 connect(5, {sa_family=AF_INET, sin_port=htons(5672), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
        28004 connect(6, {sa_family=AF_INET6, sin6_port=htons(5080), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused)
        """;

    // From a demo run before the fix: DCP started the Coder with `dotnet run`, whose CLI looked up its telemetry host
    // (one of its threads, the call split by another thread's line); a service connecting to a proxied port over IPv6;
    // NuGet's audit in a sandboxed restore, whose process had no execve in these lines.
    private const string DemoServices = """
        16663 execve("/usr/bin/dotnet", ["dotnet", "run", "--project", "/work/wt-outbound/src/Orchestrator.Agents.Coder/Orchestrator.Agents.Coder.csproj", "--no-build", "--configuration", "Debug", "--no-launch-profile"], 0x252d191ef688 /* 72 vars */ <unfinished ...>
        16663 <... execve resumed>)             = 0
        16663 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f5fe4fff990, parent_tid=0x7f5fe4fff990, exit_signal=0, stack=0x7f5fe47ff000, stack_size=0x7fff80, tls=0x7f5fe4fff6c0} => {parent_tid=[16752]}, 88) = 16752
        16752 connect(171, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16 <unfinished ...>
        16766 <... sendto resumed>)             = 20
        16752 <... connect resumed>)            = 0
        16752 sendmmsg(171, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="\3003\1\0\0\1\0\0\0\0\0\0\2dc\10services\fvisualstudio\3com\0\0\1\0\1", iov_len=46}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=46}, {msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="iM\1\0\0\1\0\0\0\0\0\0\2dc\10services\fvisualstudio\3com\0\0\34\0\1", iov_len=46}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=46}], 2, MSG_NOSIGNAL) = 2
        16529 connect(307, {sa_family=AF_INET6, sin6_port=htons(5082), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6_addr), sin6_scope_id=0}, 28) = -1 EINPROGRESS (Operation now in progress)
        17338 connect(211, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::ffff:203.0.113.80", &sin6_addr), sin6_scope_id=0}, 28) = -1 EINPROGRESS (Operation now in progress)
        """;

    [Fact]
    public void Finds_IPv6_and_IPv4_destinations_outside_loopback_and_names_the_program_of_a_thread_in_another_PID_namespace()
    {
        var log = StraceLog.Parse(Lines(SandboxedThread));

        Assert.Equal(["[2001:db8::1]:53", "192.0.2.1:123", "127.0.0.1:5672", "[::1]:5080"], log.Destinations.Select(d => d.Endpoint));
        Assert.Equal(["sendto", "sendmsg"], log.OutsideLoopback.Select(d => d.Call));
        Assert.All(log.Destinations, d => Assert.Equal("/usr/bin/python3 /tmp/outb/probe.py", d.CommandLine));
        Assert.Equal(3, log.Processes);
        Assert.Equal(3, log.ProgramsRun);
    }

    [Fact]
    public void Joins_a_split_call_reads_a_mapped_loopback_address_as_loopback_and_says_when_the_program_is_unknown()
    {
        var log = StraceLog.Parse(Lines(DemoServices));

        Assert.Equal(["10.255.255.53:53", "[::ffff:127.0.0.1]:5082", "[::ffff:203.0.113.80]:443"], log.Destinations.Select(d => d.Endpoint));
        var outside = log.OutsideLoopback;
        Assert.Equal(["10.255.255.53:53", "[::ffff:203.0.113.80]:443"], outside.Select(d => d.Endpoint));
        Assert.StartsWith("dotnet run --project /work/wt-outbound/src/Orchestrator.Agents.Coder/", outside[0].CommandLine, StringComparison.Ordinal);
        Assert.Equal("(pid 17338: no program seen in the trace)", outside[1].CommandLine);

        var report = StraceLog.Describe(outside);
        Assert.Contains("10.255.255.53:53 (connect ×1) by pid 16752: dotnet run --project", report, StringComparison.Ordinal);
        Assert.Contains("[::ffff:203.0.113.80]:443 (connect ×1) by pid 17338", report, StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_inside_a_sent_buffer_is_not_a_destination()
    {
        // python3 sending that text to 127.0.0.1:9: strace escapes the buffer's own quotes.
        var log = StraceLog.Parse(Lines("""
            28119 execve("/usr/bin/python3", ["/usr/bin/python3", "probe2.py"], 0x7ffc98b502d8 /* 47 vars */) = 0
            28119 sendto(3, "{sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"8.8.8.8\")}", 70, 0, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = 70
            """));

        Assert.Equal(["127.0.0.1:9"], log.Destinations.Select(d => d.Endpoint));
        Assert.Empty(log.OutsideLoopback);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.45.6.7", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.255.255.53", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    [InlineData("::ffff:203.0.113.80", false)]
    [InlineData("fe80::1", false)]
    public void Loopback_is_127_0_0_0_8_and_IPv6_1_including_mapped_IPv4(string address, bool loopback) =>
        Assert.Equal(loopback, new NetworkDestination(1, "connect", IPAddress.Parse(address), 443, "x").IsLoopback);

    private static string[] Lines(string text) => text.Split('\n');
}
