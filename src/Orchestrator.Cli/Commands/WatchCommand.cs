using System.CommandLine;
using Orchestrator.Cli.CommandLine;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator watch &lt;id&gt;</c>: live progress of one feature until it finishes.</summary>
internal sealed class WatchCommand : ApiCommand
{
    private readonly FeatureIdArgument _id = new();
    private readonly WatchOptionSymbols _watchOptions = new(
        $"Poll interval in milliseconds (default {WatchOptions.DefaultIntervalMs}).",
        "Stop watching after this long (exit 3); the feature keeps running.");

    private readonly FlagOption _json = new(
        "--json", "Print one JSON object per change, then the summary, one per line (--summary-json is then implied).");

    public WatchCommand(ApiConnection connection)
        : base("watch", "Follow a feature until it finishes, printing each change.", connection)
    {
        HelpDetails = "Exit code: 0 Completed with a pull request, 1 Failed, 2 Cancelled, 3 timeout or API error.";
        Arguments.Add(_id);
        _watchOptions.AddTo(this);
        Options.Add(_json);
    }

    protected override Task<int> RunAsync(ParseResult parseResult, CommandContext context) =>
        FeatureWatcher.For(context, _watchOptions.Read(parseResult), parseResult.GetValue(_json) ? OutputFormat.Json : OutputFormat.Lines)
            .WatchAsync(parseResult.GetRequiredValue(_id), initial: null);
}
