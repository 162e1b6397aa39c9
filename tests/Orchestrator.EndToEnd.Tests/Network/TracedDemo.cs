using System.Diagnostics;
using System.Text;

namespace Orchestrator.EndToEnd.Tests.Network;

/// <summary>How a traced demo run ended: run.sh's exit code and output, its time, and where strace wrote.</summary>
public sealed record TracedDemoRun(int ExitCode, string Output, TimeSpan Took, string TracePath);

/// <summary>
/// <c>./run.sh --once --no-build</c> — the demo as a user runs it: the AppHost with DCP, the dashboard and the five
/// services, the CLI submitting and watching the demo feature, git, the sandboxed restores, builds and tests — under
/// <c>strace -f</c>, which follows every process it starts, sandboxes included.
/// </summary>
public static class TracedDemo
{
    // Only these calls stop the traced processes (--seccomp-bpf), so the demo runs at close to its own speed. The
    // clone family and execve tell which program made each network call.
    private static readonly string[] TracedCalls = ["connect", "sendto", "sendmsg", "sendmmsg", "execve", "clone", "clone3", "fork", "vfork"];

    // What a user's shell hands on. Not this machine's DOTNET_CLI_TELEMETRY_OPTOUT, DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE
    // or NUGET_CERT_REVOCATION_MODE: a fresh machine has none of them, so the product must switch off what it needs to.
    private static readonly string[] Inherited =
        ["PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR", "DOTNET_ROOT", "NUGET_PACKAGES", "DOTNET_GENERATE_ASPNET_CERTIFICATE"];

    public static async Task<TracedDemoRun> RunAsync(string messaging, string stateFolder, TimeSpan timeout, CancellationToken ct)
    {
        var trace = Path.Combine(stateFolder, "demo.strace");
        var start = new ProcessStartInfo("strace")
        {
            WorkingDirectory = OrchestratorApp.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])
            ["-f", "--seccomp-bpf", "--pidns-translation", "-qq", "-e", "signal=none", "-s", "256",
             "-e", $"trace={string.Join(',', TracedCalls)}", "-o", trace,
             "bash", Path.Combine(OrchestratorApp.RepositoryRoot, "run.sh"), "--once", "--no-build", "--state", stateFolder])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var name in Inherited)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        // The demo's broker is this run's vhost: run.sh uses a given connection string instead of starting its own.
        start.Environment["ConnectionStrings__messaging"] = messaging;
        return await RunAsync(start, trace, timeout, ct);
    }

    private static async Task<TracedDemoRun> RunAsync(ProcessStartInfo start, string trace, TimeSpan timeout, CancellationToken ct)
    {
        var output = new StringBuilder();
        void Append(object sender, DataReceivedEventArgs line)
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }
        }

        var started = Stopwatch.GetTimestamp();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // strace ends when the last process it follows has ended: nothing of the demo is left behind.
            await process.WaitForExitAsync(ct).WaitAsync(timeout, ct);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The traced demo did not end within {timeout}; its output:\n{output}");
        }

        lock (output)
        {
            return new TracedDemoRun(process.ExitCode, output.ToString(), Stopwatch.GetElapsedTime(started), trace);
        }
    }
}
