using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Output;

/// <summary>
/// Where a watch's news goes: lines (<see cref="LineWatchOutput"/>: pipes, files, CI), JSON lines
/// (<see cref="JsonWatchOutput"/>: <c>--json</c>) or a live table (<see cref="LiveTableWatchOutput"/>: a terminal).
/// The watcher decides what to say and when; an output decides how it looks and which stream it goes to.
/// </summary>
internal abstract class WatchOutput
{
    /// <summary>Runs the whole watch; the live table draws around it.</summary>
    public virtual Task<int> RunAsync(string featureId, Func<Task<int>> watch) => watch();

    /// <summary>Each look at the feature, whether anything changed or not.</summary>
    public abstract void Show(Feature? previous, Feature current);

    /// <summary>Something the user should know while the watch goes on: the API fails, or answers again.</summary>
    public abstract void Notice(string line);

    /// <summary>Why the watch ends other than with a pull request: one line for stderr.</summary>
    public abstract void Problem(string line);

    /// <summary>The last snapshot, when the watch ends with one to summarise (a final state, a timeout, giving up).</summary>
    public abstract void Conclude(Feature? last);
}
