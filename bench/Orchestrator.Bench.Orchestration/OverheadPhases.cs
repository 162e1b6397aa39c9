namespace Orchestrator.Bench.Orchestration;

/// <summary>One task's times in milliseconds after its feature was submitted.</summary>
internal sealed record TaskTimes(string Id, IReadOnlyList<string> DependsOn, double ArrivedMs, double AnsweredMs);

/// <summary>
/// Where one feature's overhead went: from submission until its first task reached an agent (accepting, planning,
/// preparing the work repository, dispatching), from a task's answer until each task waiting on it arrived (the
/// hand-off; the longest one), and from the last answer until the feature's end was published (consolidation).
/// </summary>
internal sealed record OverheadPhases(double ToFirstTaskMs, double? HandOffMs, double AfterLastTaskMs)
{
    public static OverheadPhases Of(IReadOnlyList<TaskTimes> tasks, double endedMs)
    {
        if (tasks.Count == 0)
        {
            throw new ArgumentException("A feature without tasks has no phases.", nameof(tasks));
        }

        var byId = tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var handOffs = tasks
            .Where(t => t.DependsOn.Count > 0)
            .Select(t => t.ArrivedMs - t.DependsOn.Max(d => byId[d].AnsweredMs))
            .ToList();
        return new OverheadPhases(
            tasks.Min(t => t.ArrivedMs),
            handOffs.Count > 0 ? handOffs.Max() : null,
            endedMs - tasks.Max(t => t.AnsweredMs));
    }
}

/// <summary>The medians of the phases over every feature of a run.</summary>
internal sealed record OverheadPhaseMedians(double ToFirstTaskMs, double? HandOffMs, double AfterLastTaskMs)
{
    public static OverheadPhaseMedians Of(IReadOnlyList<OverheadPhases> phases)
    {
        var handOffs = phases.Where(p => p.HandOffMs is not null).Select(p => p.HandOffMs!.Value).ToList();
        return new OverheadPhaseMedians(
            Math.Round(LatencySummary.Of([.. phases.Select(p => p.ToFirstTaskMs)]).P50, 3),
            handOffs.Count > 0 ? Math.Round(LatencySummary.Of(handOffs).P50, 3) : null,
            Math.Round(LatencySummary.Of([.. phases.Select(p => p.AfterLastTaskMs)]).P50, 3));
    }
}
