using Orchestrator.Cli.Arguments;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator watch &lt;id&gt;</c>: live progress of one feature until it finishes.</summary>
internal sealed class WatchCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "watch",
        "Follow a feature until it finishes, printing each change.",
        ["id"],
        [
            new(WatchOptions.SummaryJsonOption, null, "End with one compact JSON line summarising the result."),
            new(WatchOptions.IntervalOption, "ms", $"Poll interval in milliseconds (default {WatchOptions.DefaultIntervalMs})."),
            new(WatchOptions.TimeoutOption, "seconds", "Stop watching after this long (exit 3); the feature keeps running."),
        ],
        "Exit code: 0 Completed with a pull request, 1 Failed, 2 Cancelled, 3 timeout or API error.");

    public Task<int> RunAsync(ParsedArguments args, CommandContext context)
    {
        var id = args.FeatureId();
        return new FeatureWatcher(context, ReadOptions(args)).WatchAsync(id, initial: null);
    }

    /// <summary>Also used by <c>submit --watch</c>, which accepts the same options.</summary>
    public static WatchOptions ReadOptions(ParsedArguments args) => new(
        TimeSpan.FromMilliseconds(args.PositiveInt(WatchOptions.IntervalOption, WatchOptions.DefaultIntervalMs)),
        args.PositiveSeconds(WatchOptions.TimeoutOption),
        args.Flag(WatchOptions.SummaryJsonOption));
}
