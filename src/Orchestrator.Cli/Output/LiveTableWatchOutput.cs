using Orchestrator.Cli.Api;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Orchestrator.Cli.Output;

/// <summary>
/// The watch in a terminal: one table redrawn in place (<see cref="FeatureTable"/>) whose caption says how the watch
/// follows the feature and, during an outage, that it is riding it out. Anything written to the terminal while the
/// table is live would tear it, so errors wait until the table is done; then the final state and the pull request
/// follow as plain lines (a URL inside a table border is hard to copy).
/// </summary>
/// <param name="followCaption">How the watch follows the feature, e.g. the poll interval and how long outages are ridden out.</param>
internal sealed class LiveTableWatchOutput(
    IAnsiConsole terminal, TextWriter stdout, TextWriter stderr, TimeProvider time, bool summaryJson, string followCaption)
    : WatchOutput
{
    private readonly List<string> _problems = [];
    private LiveDisplayContext? _display;
    private string _featureId = "";
    private Feature? _latest;
    private string? _notice;
    private Feature? _concluded;

    public override async Task<int> RunAsync(string featureId, Func<Task<int>> watch)
    {
        _featureId = featureId;
        try
        {
            return await terminal.Live(Render()).AutoClear(false).StartAsync(async display =>
            {
                _display = display;
                display.Refresh();
                return await watch();
            });
        }
        finally
        {
            _display = null;
            WriteAfterTable();
        }
    }

    public override void Show(Feature? previous, Feature current)
    {
        // Redrawn on every poll, changed or not, so the elapsed times keep counting.
        _latest = current;
        Redraw();
    }

    public override void Notice(string line)
    {
        _notice = line;
        Redraw();
    }

    public override void Problem(string line) => _problems.Add(line);

    public override void Conclude(Feature? last) => _concluded = last;

    private void Redraw() => _display?.UpdateTarget(Render());

    private IRenderable Render()
    {
        var caption = _notice is null ? followCaption : $"{_notice}\n{followCaption}";
        return _latest is null
            ? new Spectre.Console.Text($"waiting for feature {_featureId}…\n{caption}")
            : FeatureTable.Build(_latest, time.GetUtcNow()).Caption(Markup.Escape(caption));
    }

    private void WriteAfterTable()
    {
        if (_concluded is { } last && FeatureStates.IsFinal(last.State))
        {
            stdout.WriteLine(FeatureProgressPrinter.FeatureLine(last));
            if (FeatureProgressPrinter.PullRequestLine(last.PullRequest) is { } pullRequest)
            {
                stdout.WriteLine(pullRequest);
            }
        }

        if (summaryJson && _concluded is not null)
        {
            stdout.WriteLine(SummaryJson.Write(_concluded));
        }

        foreach (var problem in _problems)
        {
            stderr.WriteLine(problem);
        }
    }
}
