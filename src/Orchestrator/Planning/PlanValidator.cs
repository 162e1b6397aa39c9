using System.Text.RegularExpressions;
using Orchestrator.Contracts;

namespace Orchestrator.Planning;

/// <summary>Checks a plan before any agent sees it: known roles, unique ids, known dependencies, no cycles, size limits.</summary>
public static partial class PlanValidator
{
    public const int MaxTasks = 12;
    public const int MaxInstructionsLength = 8_000;
    public const int MaxTitleLength = 200;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex TaskIdPattern();

    /// <summary>Returns the problems of the plan; none means it is valid.</summary>
    public static IReadOnlyList<string> Validate(string? title, IReadOnlyList<PlannedTask> tasks)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(title))
        {
            problems.Add("the plan has no title");
        }
        else if (title.Length > MaxTitleLength)
        {
            problems.Add($"the plan's title is longer than {MaxTitleLength} characters");
        }

        if (tasks.Count == 0)
        {
            problems.Add("the plan has no tasks");
            return problems;
        }

        if (tasks.Count > MaxTasks)
        {
            problems.Add($"the plan has {tasks.Count} tasks; at most {MaxTasks} are allowed");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            CheckTask(task, ids, problems);
        }

        CheckDependencies(tasks, ids, problems);
        if (!tasks.Any(t => t.Role == AgentRole.Coder))
        {
            problems.Add("the plan has no coder task");
        }

        if (problems.Count == 0 && FindCycle(tasks) is { } cycle)
        {
            problems.Add($"the tasks depend on each other in a cycle: {string.Join(" -> ", cycle)}");
        }

        return problems;
    }

    /// <summary>One task on its own: a well-formed, unique id, a known role, a title and instructions of bounded size.</summary>
    private static void CheckTask(PlannedTask task, HashSet<string> ids, List<string> problems)
    {
        if (!TaskIdPattern().IsMatch(task.TaskId ?? string.Empty))
        {
            problems.Add($"task id '{task.TaskId}' must be 1-40 lower-case letters, digits or dashes");
        }
        else if (!ids.Add(task.TaskId!))
        {
            problems.Add($"task id '{task.TaskId}' is used twice");
        }

        if (!Enum.IsDefined(task.Role))
        {
            problems.Add($"task '{task.TaskId}' has an unknown role");
        }

        if (string.IsNullOrWhiteSpace(task.Title))
        {
            problems.Add($"task '{task.TaskId}' has no title");
        }

        if (string.IsNullOrWhiteSpace(task.Instructions))
        {
            problems.Add($"task '{task.TaskId}' has no instructions");
        }
        else if (task.Instructions.Length > MaxInstructionsLength)
        {
            problems.Add($"task '{task.TaskId}' has instructions longer than {MaxInstructionsLength} characters");
        }
    }

    private static void CheckDependencies(IReadOnlyList<PlannedTask> tasks, HashSet<string> ids, List<string> problems)
    {
        foreach (var task in tasks)
        {
            foreach (var dependency in task.DependsOn)
            {
                if (dependency == task.TaskId)
                {
                    problems.Add($"task '{task.TaskId}' depends on itself");
                }
                else if (!ids.Contains(dependency))
                {
                    problems.Add($"task '{task.TaskId}' depends on unknown task '{dependency}'");
                }
            }
        }
    }

    private static IReadOnlyList<string>? FindCycle(IReadOnlyList<PlannedTask> tasks)
    {
        var byId = tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the current path, 2 = done
        var path = new List<string>();

        IReadOnlyList<string>? Visit(string id)
        {
            state[id] = 1;
            path.Add(id);
            foreach (var next in byId[id].DependsOn)
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path.Skip(path.IndexOf(next)), next];
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[id] = 2;
            return null;
        }

        return tasks.Select(t => state.GetValueOrDefault(t.TaskId) == 0 ? Visit(t.TaskId) : null).FirstOrDefault(c => c is not null);
    }
}
