namespace Orchestrator.Bench.Orchestration;

/// <summary>One task of a feature's graph with how long its agent actually worked on it.</summary>
internal sealed record TimedTask(string Id, IReadOnlyList<string> DependsOn, double DurationMs);

internal static class TaskGraph
{
    /// <summary>
    /// The critical path: the longest chain of dependent task durations, i.e. the least time the feature could take if
    /// the orchestration itself cost nothing and every ready task started at once.
    /// </summary>
    public static double CriticalPathMs(IReadOnlyList<TimedTask> tasks)
    {
        var byId = tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var finish = new Dictionary<string, double>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);

        double FinishOf(TimedTask task)
        {
            if (finish.TryGetValue(task.Id, out var known))
            {
                return known;
            }

            if (!visiting.Add(task.Id))
            {
                throw new ArgumentException($"The task graph has a cycle through '{task.Id}'.", nameof(tasks));
            }

            var start = 0.0;
            foreach (var dependency in task.DependsOn)
            {
                var before = byId.GetValueOrDefault(dependency)
                    ?? throw new ArgumentException($"'{task.Id}' depends on unknown task '{dependency}'.", nameof(tasks));
                start = Math.Max(start, FinishOf(before));
            }

            visiting.Remove(task.Id);
            return finish[task.Id] = start + task.DurationMs;
        }

        return tasks.Count == 0 ? 0 : tasks.Max(FinishOf);
    }
}
