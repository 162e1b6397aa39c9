namespace Orchestrator.Workspaces;

/// <summary>
/// A process to run: an executable and an argument list (never a shell string), with a timeout,
/// an output cap and extra environment variables layered on top of a scrubbed base environment.
/// </summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory)
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Combined stdout and stderr characters kept. Beyond it the head and the tail are kept with a
    /// "... [N characters truncated] ..." line between them.
    /// </summary>
    public int MaxOutputChars { get; init; } = 64_000;

    /// <summary>Variables added on top of the scrubbed base environment; they win over it.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
}

/// <summary>The outcome of a process run. <see cref="Output"/> interleaves stdout and stderr.</summary>
public sealed record ProcessResult(int ExitCode, string Output, bool TimedOut, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}

/// <summary>
/// The pipes of a process that streams: <see cref="StandardInput"/> is copied to its stdin (closed at the end), and
/// its stdout is handed to <see cref="ReadStandardOutput"/>, which must read it to the end.
/// </summary>
public sealed record ProcessStreams(Stream StandardInput, Func<Stream, CancellationToken, Task> ReadStandardOutput);
