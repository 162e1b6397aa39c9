using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;

namespace Orchestrator.Messaging.Roles;

/// <summary>
/// Checks the <c>Roles</c> section at start: each problem names the key to fix, and a service with one does not start.
/// </summary>
public sealed partial class AgentRolesValidation : IValidateOptions<AgentRolesOptions>
{
    /// <summary>Queues the system's own services consume: no role may take one.</summary>
    public static IReadOnlySet<string> SystemQueues { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Queues.Planner, Queues.Merge, Queues.MergePrepare, "feature-state", "task-transcripts", "feature-webhooks",
    };

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}\\z")]
    private static partial Regex QueuePattern();

    public ValidateOptionsResult Validate(string? name, AgentRolesOptions options)
    {
        var problems = new List<string>();
        foreach (var (key, settings) in options.Roles)
        {
            problems.AddRange(ProblemsOf(key, settings));
        }

        var queues = new AgentRoles(options).All.GroupBy(r => r.Queue, StringComparer.Ordinal).Where(g => g.Count() > 1);
        problems.AddRange(queues.Select(g =>
            $"{AgentRolesOptions.Section}: the roles {string.Join(" and ", g.Select(r => r.Role.Name))} share the queue '{g.Key}'; each role needs a queue of its own."));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static IEnumerable<string> ProblemsOf(string key, AgentRoleSettings settings)
    {
        var at = $"{AgentRolesOptions.Section}:{key}";
        if (!AgentRole.IsValidName(key.ToLowerInvariant()))
        {
            yield return $"{at}: '{key}' is not a role name: 1-31 letters, digits or dashes, starting with a letter.";
            yield break;
        }

        var role = AgentRole.Parse(key);
        if (!role.IsBuiltIn && string.IsNullOrWhiteSpace(settings.Description))
        {
            yield return $"{at}:Description is required: the planner is told what each role does.";
        }

        if (!string.IsNullOrWhiteSpace(settings.SystemPrompt) && !string.IsNullOrWhiteSpace(settings.SystemPromptFile))
        {
            yield return $"{at}: set SystemPrompt or SystemPromptFile, not both.";
        }

        foreach (var tool in (settings.Tools ?? []).Where(t => !AgentTools.All.Contains(t.Trim())))
        {
            yield return $"{at}:Tools: '{tool}' is not a tool; the tools are {string.Join(", ", AgentTools.All)}.";
        }

        if (settings.Queue is { } queue && (!QueuePattern().IsMatch(queue) || SystemQueues.Contains(queue)))
        {
            yield return $"{at}:Queue: '{queue}' cannot be a role's queue: 1-63 lower-case letters, digits or dashes, and none of {string.Join(", ", SystemQueues.Order())}.";
        }
        else if (settings.Queue is null && SystemQueues.Contains(role.Name))
        {
            yield return $"{at}: a role named '{role.Name}' would take a queue of the system's own; choose another name or set {at}:Queue.";
        }

        if (role == AgentRole.Reviewer && settings.Plannable == true)
        {
            yield return $"{at}:Plannable: the reviewer is asked by the orchestrator after verification, never given plan tasks.";
        }
    }
}
