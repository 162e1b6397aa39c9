using System.ComponentModel;
using System.Diagnostics;
using CliWrap;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Workspaces;

/// <summary>
/// The one way our services start a process: argument lists only (no shell), a scrubbed environment, a timeout that
/// kills the whole process tree, and output kept under a cap. CliWrap starts the process and moves the bytes; the
/// policies are ours (docs/decisions/0007-process-runner.md).
/// </summary>
public sealed partial class ProcessRunner(ILogger<ProcessRunner> logger)
{
    // A killed process has no exit code of its own to report.
    private const int KilledExitCode = -1;

    /// <summary>Runs with stdin empty and closed; stdout and stderr are captured together in <see cref="ProcessResult.Output"/>.</summary>
    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken) =>
        LaunchAsync(spec, streams: null, cancellationToken);

    /// <summary>
    /// Runs with stdin fed from <see cref="ProcessStreams.StandardInput"/> (closed at its end) and stdout handed to
    /// <see cref="ProcessStreams.ReadStandardOutput"/>; <see cref="ProcessResult.Output"/> holds stderr only.
    /// </summary>
    public Task<ProcessResult> RunAsync(ProcessSpec spec, ProcessStreams streams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streams);
        return LaunchAsync(spec, streams, cancellationToken);
    }

    private async Task<ProcessResult> LaunchAsync(ProcessSpec spec, ProcessStreams? streams, CancellationToken cancellationToken)
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
        using var drain = new DrainDeadline();
        var cli = Describe(spec, streams, new CapturedOutput(output, drain.Token));
        var stopwatch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(spec.Timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // The environment is replaced, not amended, on the start info itself: nothing of ours is inherited by accident.
            var result = await cli.ExecuteAsync(
                startInfo => ProcessEnvironment.Apply(startInfo.Environment, spec.Environment),
                drain.StartWhenExited,
                forcefulCancellationToken: stop.Token).ConfigureAwait(false);
            LogFinished(logger, command, result.ExitCode, stopwatch.Elapsed.TotalSeconds);
            return new ProcessResult(result.ExitCode, output.ToString(), TimedOut: false, stopwatch.Elapsed);
        }
        catch (Win32Exception ex)
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            LogStartFailed(logger, command, reason);
            return new ProcessResult(127, $"Could not start '{spec.FileName}': {reason}. Is it installed and on PATH?", TimedOut: false, stopwatch.Elapsed);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException && stop.IsCancellationRequested)
        {
            // CliWrap has killed the process tree (TimeoutException: it did not die in time; we stop waiting anyway).
            if (cancellationToken.IsCancellationRequested)
            {
                LogCancelled(logger, command, stopwatch.Elapsed.TotalSeconds);
                throw new OperationCanceledException($"'{command}' was cancelled and killed.", ex, cancellationToken);
            }

            LogTimedOut(logger, command, spec.Timeout.TotalSeconds);
            output.AppendLine($"[timed out after {spec.Timeout.TotalSeconds:0.###} s; the process tree was killed]");
            return new ProcessResult(KilledExitCode, output.ToString(), TimedOut: true, stopwatch.Elapsed);
        }
    }

    // An empty closed stdin makes anything that would prompt fail fast instead of waiting forever.
    private static Command Describe(ProcessSpec spec, ProcessStreams? streams, CapturedOutput captured) =>
        Cli.Wrap(spec.FileName)
            .WithArguments(spec.Arguments)
            .WithWorkingDirectory(spec.WorkingDirectory)
            .WithValidation(CommandResultValidation.None)
            .WithStandardInputPipe(streams is null ? PipeSource.Null : PipeSource.FromStream(streams.StandardInput))
            .WithStandardOutputPipe(streams is null ? captured : PipeTarget.Create(streams.ReadStandardOutput))
            .WithStandardErrorPipe(captured);

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
