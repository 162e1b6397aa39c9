using System.Text.RegularExpressions;
using Orchestrator.Contracts;
using Orchestrator.Messaging.Roles;

namespace Orchestrator.Planning;

/// <summary>
/// Checks a plan before any agent sees it: roles the plan may use (the plannable ones of <see cref="AgentRoles"/>), unique ids, known dependencies, no cycles, size limits. The
/// problems go back to the model and become the feature's failure reason, so they are few and quote little.
/// </summary>
public static partial class PlanValidator
{
    public const int MaxTasks = 12;
    public const int MaxInstructionsLength = 8_000;
    public const int MaxTitleLength = 200;

    /// <summary>The summary goes into the pull request body, whose size GitHub caps; a few paragraphs are plenty.</summary>
    public const int MaxSummaryLength = 4_000;

    /// <summary>The interface is signatures, sent to every agent: the same room as a task's instructions.</summary>
    public const int MaxInterfaceLength = MaxInstructionsLength;

    /// <summary>Most files one task may name; a task touching more is better split.</summary>
    public const int MaxFilesPerTask = 30;

    public const int MaxFilePathLength = 260;

    /// <summary>Task ids the orchestrator uses itself: the planner's transcript is kept under <c>planner</c>.</summary>
    private static readonly HashSet<string> ReservedTaskIds = new(StringComparer.Ordinal) { PlannerTranscript.TaskId };

    private const int MaxReportedProblems = 10;
    private const int MaxQuotedLength = 60;

    // \z, not $: "$" also matches before a final line break, and a task id becomes part of a branch name.
    // The ids the orchestrator gives the tasks it adds (reviews and their fix rounds, verification fixes, conflict
    // resolutions, follow-ups): a plan task of that name would collide with one.
    [GeneratedRegex("^(review|address-review|fix-verification|resolve-conflicts|follow-up)-[0-9]+$")]
    private static partial Regex ReservedTaskId();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}\\z")]
    private static partial Regex TaskIdPattern();

    private static readonly AgentRoles BuiltInRoles = new(new AgentRolesOptions());

    /// <summary>Returns the problems of the whole plan (summary and interface too); none means it is valid.</summary>
    /// <param name="roles">The installation's roles; the built-in ones when null.</param>
    public static IReadOnlyList<string> Validate(ParsedPlan plan, AgentRoles? roles = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var problems = new List<string>();
        if (plan.Summary?.Length > MaxSummaryLength)
        {
            problems.Add($"the plan's summary is longer than {MaxSummaryLength} characters");
        }

        if (plan.Interface?.Length > MaxInterfaceLength)
        {
            problems.Add($"the plan's interface is longer than {MaxInterfaceLength} characters");
        }

        problems.AddRange(ProblemsOf(plan.Title, plan.Tasks, (roles ?? BuiltInRoles).Plannable.Select(r => r.Role).ToList()));
        return Reported(problems);
    }

    /// <summary>A value of the model's plan as a problem quotes it: short, on one line.</summary>
    internal static string Quote(string? value)
    {
        var text = value ?? string.Empty;
        var shown = string.Concat(text.Take(MaxQuotedLength).Select(c => char.IsControl(c) ? '\uFFFD' : c));
        return text.Length <= MaxQuotedLength ? $"'{shown}'" : $"'{shown}…'";
    }

    // A plan can have thousands of problems (one per unknown dependency): the first ones say what to fix.
    private static List<string> Reported(List<string> problems) =>
        problems.Count <= MaxReportedProblems
            ? problems
            : [.. problems.Take(MaxReportedProblems), $"and {problems.Count - MaxReportedProblems} more problems"];

    private static List<string> ProblemsOf(string? title, IReadOnlyList<PlannedTask> tasks, IReadOnlyList<AgentRole> roles)
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
            CheckTask(task, ids, roles, problems);
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
    private static void CheckTask(PlannedTask task, HashSet<string> ids, IReadOnlyList<AgentRole> roles, List<string> problems)
    {
        var id = Quote(task.TaskId);
        if (!TaskIdPattern().IsMatch(task.TaskId ?? string.Empty))
        {
            problems.Add($"task id {id} must be 1-40 lower-case letters, digits or dashes");
        }
        else if (ReservedTaskIds.Contains(task.TaskId!))
        {
            problems.Add($"task id {id} is reserved; choose another");
        }
        else if (!ids.Add(task.TaskId!))
        {
            problems.Add($"task id {id} is used twice");
        }

        if (task.Role == AgentRole.Reviewer)
        {
            // The Reviewer reviews the merged result once it is verified (docs/decisions/0015-reviewer.md); it takes no plan task.
            problems.Add($"task {id} has role reviewer, which reviews the verified result and takes no plan task");
        }
        else if (!roles.Contains(task.Role))
        {
            problems.Add(task.Role.Name.Length == 0
                ? $"task {id} has no role"
                : $"task {id} has role {Quote(task.Role.Name)}, which is not one of the roles: {string.Join(", ", roles.Select(r => r.Name))}");
        }

        if (ReservedTaskId().IsMatch(task.TaskId ?? string.Empty))
        {
            problems.Add($"task id {id} is reserved for the tasks the orchestrator adds (reviews, fixes, conflict resolutions, follow-ups)");
        }

        if (string.IsNullOrWhiteSpace(task.Title))
        {
            problems.Add($"task {id} has no title");
        }
        else if (task.Title.Length > MaxTitleLength)
        {
            problems.Add($"task {id} has a title longer than {MaxTitleLength} characters");
        }

        if (string.IsNullOrWhiteSpace(task.Instructions))
        {
            problems.Add($"task {id} has no instructions");
        }
        else if (task.Instructions.Length > MaxInstructionsLength)
        {
            problems.Add($"task {id} has instructions longer than {MaxInstructionsLength} characters");
        }

        CheckFiles(task, id, problems);
    }

    /// <summary>The files a task names: relative paths inside the repository, each given once, not too many.</summary>
    private static void CheckFiles(PlannedTask task, string id, List<string> problems)
    {
        var files = task.Files ?? [];
        if (files.Count > MaxFilesPerTask)
        {
            problems.Add($"task {id} names {files.Count} files; at most {MaxFilesPerTask} are allowed");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (FileProblem(file) is { } problem)
            {
                problems.Add($"task {id} names file {Quote(file)}, which {problem}");
            }
            else if (!seen.Add(file))
            {
                problems.Add($"task {id} names file {Quote(file)} twice");
            }
        }
    }

    // Why a file path is not a plain relative path inside the repository, or null when it is one.
    private static string? FileProblem(string? file)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return "is empty";
        }

        if (file.Length > MaxFilePathLength)
        {
            return $"is longer than {MaxFilePathLength} characters";
        }

        if (file.Any(char.IsControl))
        {
            return "contains control characters";
        }

        if (file.Contains('\\', StringComparison.Ordinal))
        {
            return "must use forward slashes";
        }

        if (file.StartsWith('/') || file.StartsWith('~') || (file.Length > 1 && file[1] == ':'))
        {
            return "must be relative to the repository root";
        }

        var segments = file.Split('/');
        if (segments.Any(s => s == ".."))
        {
            return "must not contain '..'";
        }

        return segments.Any(s => s == ".git") ? "must not be inside .git" : null;
    }

    private static void CheckDependencies(IReadOnlyList<PlannedTask> tasks, HashSet<string> ids, List<string> problems)
    {
        foreach (var task in tasks)
        {
            foreach (var dependency in task.DependsOn)
            {
                if (dependency == task.TaskId)
                {
                    problems.Add($"task {Quote(task.TaskId)} depends on itself");
                }
                else if (!ids.Contains(dependency))
                {
                    problems.Add($"task {Quote(task.TaskId)} depends on unknown task {Quote(dependency)}");
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
