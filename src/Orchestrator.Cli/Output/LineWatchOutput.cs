using System.Globalization;
using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Output;

/// <summary>
/// A time-stamped line per change on stdout, warnings and errors on stderr: the watch's output whenever stdout is not
/// a terminal. run.sh, the end-to-end tests and users' scripts read these lines, so their wording is kept as it is.
/// </summary>
internal sealed class LineWatchOutput(TextWriter stdout, TextWriter stderr, TimeProvider time, bool summaryJson) : WatchOutput
{
    public override void Show(Feature? previous, Feature current)
    {
        var stamp = time.GetLocalNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        foreach (var line in FeatureProgressPrinter.Changes(previous, current))
        {
            stdout.WriteLine($"{stamp} {line}");
        }
    }

    public override void Notice(string line) => stderr.WriteLine(line);

    public override void Problem(string line) => stderr.WriteLine(line);

    // The summary is the last stdout line whenever there is a snapshot to summarise, so scripts can always parse it.
    public override void Conclude(Feature? last)
    {
        if (summaryJson && last is not null)
        {
            stdout.WriteLine(SummaryJson.Write(last));
        }
    }
}
