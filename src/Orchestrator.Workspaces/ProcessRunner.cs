using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Workspaces;

/// <summary>
/// Runs processes for agents: argument lists only (no shell), stdin closed, stdout and stderr captured
/// together under a cap, a timeout that kills the whole process tree, and a scrubbed environment.
/// </summary>
public sealed partial class ProcessRunner(ILogger<ProcessRunner> logger)
{
    // A grandchild that escaped the tree kill (daemonised, re-parented) can hold our pipes open forever;
    // once the process itself is gone its output gets this long to drain.
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ExitAfterKillGrace = TimeSpan.FromSeconds(5);
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.FileName);
        ArgumentNullException.ThrowIfNull(spec.Arguments);
        cancellationToken.ThrowIfCancellationRequested();

        // Checked up front because the runtime reports a missing directory like a missing executable.
        if (!Directory.Exists(spec.WorkingDirectory))
        {
            throw new DirectoryNotFoundException($"Working directory '{spec.WorkingDirectory}' does not exist.");
        }

        var command = CommandLine.Format(spec.FileName, spec.Arguments);
        LogStarting(logger, command, spec.WorkingDirectory);

        var output = new OutputBuffer(spec.MaxOutputChars);
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = CreateStartInfo(spec) };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            LogStartFailed(logger, command, ex.Message);
            var message = $"Could not start '{spec.FileName}': {ex.Message}. Is it installed and on PATH?";
            return new ProcessResult(127, message, TimedOut: false, stopwatch.Elapsed);
        }

        CloseStandardInput(process);

        using var readersCancellation = new CancellationTokenSource();
        var readers = Task.WhenAll(
            PumpAsync(process.StandardOutput, output, readersCancellation.Token),
            PumpAsync(process.StandardError, output, readersCancellation.Token));

        using var timeout = new CancellationTokenSource(spec.Timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            await WaitForExitAfterKillAsync(process).ConfigureAwait(false);
            await DrainAsync(readers, readersCancellation).ConfigureAwait(false);

            if (cancellationToken.IsCancellationRequested)
            {
                LogCancelled(logger, command, stopwatch.Elapsed.TotalSeconds);
                throw new OperationCanceledException($"'{command}' was cancelled and killed.", cancellationToken);
            }

            timedOut = true;
        }

        if (!timedOut)
        {
            await DrainAsync(readers, readersCancellation).ConfigureAwait(false);
        }

        var duration = stopwatch.Elapsed;
        var exitCode = process.HasExited ? process.ExitCode : -1;
        if (timedOut)
        {
            LogTimedOut(logger, command, spec.Timeout.TotalSeconds);
            output.AppendLine($"[timed out after {spec.Timeout.TotalSeconds:0.###} s; the process tree was killed]");
        }
        else
        {
            LogFinished(logger, command, exitCode, duration.TotalSeconds);
        }

        return new ProcessResult(exitCode, output.ToString(), timedOut, duration);
    }

    private static ProcessStartInfo CreateStartInfo(ProcessSpec spec)
    {
        var startInfo = new ProcessStartInfo(spec.FileName)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };

        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        ProcessEnvironment.Apply(startInfo.Environment, spec.Environment);
        return startInfo;
    }

    // An empty, closed stdin makes anything that would prompt fail fast instead of waiting forever.
    private static void CloseStandardInput(Process process)
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process already exited and closed its end; nothing to do.
        }
    }

    private static async Task PumpAsync(StreamReader reader, OutputBuffer output, CancellationToken cancellationToken)
    {
        var buffer = new char[4096];
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                output.Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Abandoned on purpose (grandchild holding the pipe) or the pipe broke; what we have is kept.
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited between the timeout and the kill.
        }
    }

    private static async Task WaitForExitAfterKillAsync(Process process)
    {
        using var grace = new CancellationTokenSource(ExitAfterKillGrace);
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // SIGKILL normally lands at once; if not, report what we have rather than hang.
        }
    }

    private static async Task DrainAsync(Task readers, CancellationTokenSource readersCancellation)
    {
        if (await Task.WhenAny(readers, Task.Delay(DrainGrace)).ConfigureAwait(false) == readers)
        {
            return;
        }

        await readersCancellation.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(readers, Task.Delay(TimeSpan.FromMilliseconds(500))).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Running {Command} in {WorkingDirectory}")]
    private static partial void LogStarting(ILogger logger, string command, string workingDirectory);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Command} exited with {ExitCode} after {Seconds:0.00} s")]
    private static partial void LogFinished(ILogger logger, string command, int exitCode, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} timed out after {Seconds:0.###} s and was killed")]
    private static partial void LogTimedOut(ILogger logger, string command, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Command} was cancelled after {Seconds:0.00} s and killed")]
    private static partial void LogCancelled(ILogger logger, string command, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start {Command}: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string command, string reason);
}
