using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Output;

/// <summary>
/// <c>--json</c>: one <c>change</c> object per change on stdout, then the <c>summary</c>; warnings and errors stay
/// one-line text on stderr, so stdout is JSON only.
/// </summary>
internal sealed class JsonWatchOutput(TextWriter stdout, TextWriter stderr, TimeProvider time) : WatchOutput
{
    public override void Show(Feature? previous, Feature current)
    {
        // The same notion of "changed" as the lines: a poll that saw nothing new prints nothing.
        var changes = FeatureProgressPrinter.Changes(previous, current);
        if (changes.Count > 0)
        {
            stdout.WriteLine(ProgressJson.Change(time.GetUtcNow(), changes, current));
        }
    }

    public override void Notice(string line) => stderr.WriteLine(line);

    public override void Problem(string line) => stderr.WriteLine(line);

    public override void Conclude(Feature? last)
    {
        if (last is not null)
        {
            stdout.WriteLine(SummaryJson.Write(last, ProgressJson.SummaryType));
        }
    }
}
