using System.CommandLine;
using Orchestrator.Cli.CommandLine;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator watch &lt;id&gt;</c>: live progress of one feature until it finishes.</summary>
internal sealed class WatchCommand : ApiCommand
{
    private readonly FeatureIdArgument _id = new();
    private readonly WatchOptionSymbols _watchOptions = new(
        $"Poll interval in milliseconds (default {WatchOptions.DefaultIntervalMs}).",
        "Stop watching after this long (exit 3); the feature keeps running.");

    private readonly OutputFormatOptions _format = new(
        "Print one JSON object per change, then the summary, one per line (--summary-json is then implied).");

    public WatchCommand(ApiConnection connection)
        : base("watch", "Follow a feature until it finishes: a live table in a terminal, else a line per change.", connection)
    {
        HelpDetails = WatchHelp.Details;
        Arguments.Add(_id);
        _watchOptions.AddTo(this);
        _format.AddTo(this);
    }

    protected override Task<int> RunAsync(ParseResult parseResult, CommandContext context) =>
        FeatureWatcher.For(context, _watchOptions.Read(parseResult), _format.Read(parseResult, context.Terminal))
            .WatchAsync(parseResult.GetRequiredValue(_id), initial: null);
}
