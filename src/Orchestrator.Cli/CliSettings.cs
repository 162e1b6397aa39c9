namespace Orchestrator.Cli;

/// <summary>
/// Knobs that are fixed for users but that tests shorten, so waiting out a 404 or an outage does not take
/// half a minute in a test run.
/// </summary>
public sealed class CliSettings
{
    public static CliSettings Default { get; } = new();

    /// <summary>Used when neither <c>--api</c> nor <c>ORCHESTRATOR_API</c> is given.</summary>
    public Uri DefaultApi { get; init; } = new("http://localhost:5080/");

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long watch treats 404 as "not visible yet" (the API's read side may lag the submit).</summary>
    public TimeSpan NotFoundGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long watch keeps retrying through continuous connection errors before giving up: long enough for the
    /// AppHost's supervisor to start a crashed orchestrator again (its back-off reaches 30 s) and for it to start.
    /// </summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Pause between retries after an error; shorter than the poll interval so recovery shows quickly.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Indirection so tests can set <c>ORCHESTRATOR_API</c> without touching the process environment.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;
}
