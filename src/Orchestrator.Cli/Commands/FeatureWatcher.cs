using System.Globalization;
using Orchestrator.Cli.Api;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// Polls one feature until it reaches a final state, telling <paramref name="output"/> what it saw. Shared by <c>watch</c>
/// and <c>submit --watch</c>. Rides out a 404 right after submission and API outages (an orchestrator restarting), saying
/// when the API is back; everything else ends it.
/// </summary>
internal sealed class FeatureWatcher(CommandContext context, WatchOptions options, WatchOutput output)
{
    private readonly TimeProvider _time = context.Settings.Time;

    // The outage being ridden out, if any: since when the API fails, and whether the user was told.
    private long? _failingSince;
    private bool _warnedOfOutage;

    /// <summary>The watcher for the way the user asked for output, or the terminal allows.</summary>
    public static FeatureWatcher For(CommandContext context, WatchOptions options, OutputFormat format)
    {
        var (stdout, stderr, time) = (context.Stdout, context.Stderr, context.Settings.Time);
        WatchOutput output = format switch
        {
            OutputFormat.Json => new JsonWatchOutput(stdout, stderr, time),
            OutputFormat.Table when context.Terminal is { } terminal =>
                new LiveTableWatchOutput(terminal, stdout, stderr, time, options.SummaryJson, FollowCaption(context, options)),
            _ => new LineWatchOutput(stdout, stderr, time, options.SummaryJson),
        };
        return new FeatureWatcher(context, options, output);
    }

    public Task<int> WatchAsync(string id, Feature? initial) => output.RunAsync(id, () => FollowAsync(id, initial));

    private async Task<int> FollowAsync(string id, Feature? initial)
    {
        var started = _time.GetTimestamp();
        var previous = initial;
        try
        {
            if (initial is not null)
            {
                output.Show(null, initial);
                if (FeatureStates.IsFinal(initial.State))
                {
                    return Finish(initial);
                }
            }

            while (true)
            {
                if (TimeLeft(started) is { } left && left <= TimeSpan.Zero)
                {
                    return TimedOut(id, previous);
                }

                var (current, exit) = await PollAsync(id, started, previous);
                if (exit is { } code)
                {
                    return code;
                }

                if (current is null)
                {
                    continue;
                }

                output.Show(previous, current);
                previous = current;
                if (FeatureStates.IsFinal(current.State))
                {
                    return Finish(current);
                }

                await DelayAsync(options.Interval, started);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            output.Problem($"stopped watching; feature {id} keeps running (resume with: orchestrator watch {id})");
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>
    /// One look at the feature: the feature; or none, after a pause, while it is not visible yet or the API is briefly
    /// down; or the exit code when the API stays down.
    /// </summary>
    private async Task<(Feature? Current, int? Exit)> PollAsync(string id, long started, Feature? previous)
    {
        try
        {
            var current = await context.Api.GetFeatureAsync(id, context.CancellationToken);
            if (_warnedOfOutage)
            {
                // The feature's state is durable: an orchestrator that restarted carries on where it was.
                output.Notice(
                    $"note: the API answers again after {Seconds(_time.GetElapsedTime(_failingSince!.Value))} s (the orchestrator may have restarted); still watching");
            }

            _failingSince = null;
            _warnedOfOutage = false;
            return (current, null);
        }
        catch (ApiProblemException e) when (e.Problem.Status == 404 && _time.GetElapsedTime(started) < context.Settings.NotFoundGrace)
        {
            await DelayAsync(context.Settings.RetryDelay, started);
            return (null, null);
        }
        catch (OrchestratorApiException e) when (IsTransient(e))
        {
            _failingSince ??= _time.GetTimestamp();
            var down = _time.GetElapsedTime(_failingSince.Value);
            if (down >= context.Settings.GiveUpAfter)
            {
                output.Problem($"error: gave up after {Seconds(down)} s of errors: {e.Message}");
                output.Conclude(previous);
                return (null, ExitCodes.Error);
            }

            // Said once per outage, not once per retry, so a flapping API does not flood the terminal.
            if (!_warnedOfOutage)
            {
                _warnedOfOutage = true;
                output.Notice($"warning: {e.Message}; retrying for up to {Seconds(context.Settings.GiveUpAfter)} s");
            }

            await DelayAsync(context.Settings.RetryDelay, started);
            return (null, null);
        }
    }

    private static bool IsTransient(OrchestratorApiException e) =>
        e is ApiUnreachableException || e is ApiProblemException { IsTransient: true };

    private int Finish(Feature feature)
    {
        output.Conclude(feature);

        if (FeatureStates.Is(feature.State, FeatureStates.Completed))
        {
            if (feature.PullRequest is not null)
            {
                return ExitCodes.Success;
            }

            output.Problem($"error: feature {feature.Id} completed but reported no pull request");
            return ExitCodes.FeatureFailed;
        }

        return FeatureStates.Is(feature.State, FeatureStates.Cancelled) ? ExitCodes.FeatureCancelled : ExitCodes.FeatureFailed;
    }

    private int TimedOut(string id, Feature? last)
    {
        var state = last is null ? "not yet visible" : $"still {last.State}";
        output.Problem($"error: timed out after {Seconds(options.Timeout!.Value)} s; feature {id} is {state} and keeps running");
        output.Conclude(last);
        return ExitCodes.Error;
    }

    // What the live table's caption says about how it follows the feature, including that it outlasts an API restart.
    private static string FollowCaption(CommandContext context, WatchOptions options)
    {
        var interval = options.Interval < TimeSpan.FromSeconds(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{options.Interval.TotalMilliseconds:0} ms")
            : $"{Seconds(options.Interval)} s";
        return $"polling every {interval}; rides out an API restart (up to {Seconds(context.Settings.GiveUpAfter)} s)"
            + "\nCtrl+C stops watching; the feature keeps running";
    }

    private TimeSpan? TimeLeft(long started) =>
        options.Timeout is { } timeout ? timeout - _time.GetElapsedTime(started) : null;

    // Never sleeps past the --timeout deadline, so a long interval cannot stretch the timeout.
    private Task DelayAsync(TimeSpan delay, long started)
    {
        if (TimeLeft(started) is { } left && left < delay)
        {
            delay = left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }

        return Task.Delay(delay, _time, context.CancellationToken);
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}
