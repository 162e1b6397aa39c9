using Orchestrator.Contracts;

namespace Orchestrator.Messaging.Roles;

/// <summary>
/// The roles this installation has: the built-in ones, with their defaults here, changed by <c>Roles:&lt;name&gt;</c>,
/// and the roles configured there. The orchestrator tells the planner about the plannable ones and sends tasks on their
/// routes; an agent service runs one of them.
/// </summary>
public sealed class AgentRoles
{
    private readonly Dictionary<AgentRole, ConfiguredRole> _roles;

    public AgentRoles(AgentRolesOptions options)
    {
        _roles = Defaults.ToDictionary(role => role.Role);
        foreach (var (name, settings) in options.Roles)
        {
            // Invalid names are the validator's to report (at start); here they are left out.
            if (AgentRole.TryParse(name, out var role))
            {
                _roles[role] = Apply(_roles.GetValueOrDefault(role), role, settings);
            }
        }
    }

    /// <summary>The built-in roles as they are without configuration.</summary>
    public static IReadOnlyList<ConfiguredRole> Defaults { get; } =
    [
        new(AgentRole.Coder, "implements production code.", Queues.Coder, AgentTools.Default, Plannable: true),
        new(AgentRole.Tester, "writes tests, test-first, from the interface.", Queues.Tester, AgentTools.Default, Plannable: true),
        new(AgentRole.Docs, "updates documentation (README, docs/).", Queues.Docs, AgentTools.Default, Plannable: true),
        // Reviews the merged result after verification: the saga asks it, never a plan.
        new(AgentRole.Reviewer, "reviews the merged result against the request.", Queues.Reviewer, AgentTools.Reviewing, Plannable: false),
    ];

    /// <summary>Every role, built-in ones first, then the configured ones by name.</summary>
    public IReadOnlyList<ConfiguredRole> All =>
        [.. _roles.Values.OrderBy(r => r.Role.IsBuiltIn ? 0 : 1).ThenBy(r => BuiltInOrder(r.Role)).ThenBy(r => r.Role.Name, StringComparer.Ordinal)];

    /// <summary>The roles a plan may give tasks to.</summary>
    public IReadOnlyList<ConfiguredRole> Plannable => [.. All.Where(r => r.Plannable)];

    /// <summary>The configured roles that are not built in: each needs an agent service of its own.</summary>
    public IReadOnlyList<ConfiguredRole> Extra => [.. All.Where(r => !r.Role.IsBuiltIn)];

    public ConfiguredRole? Find(AgentRole role) => _roles.GetValueOrDefault(role);

    /// <summary>Where a task of <paramref name="role"/> goes; a role this installation does not know goes to the queue of its name.</summary>
    public AgentRoute RouteFor(AgentRole role) => Find(role)?.Route ?? AgentRoutes.For(role);

    private static ConfiguredRole Apply(ConfiguredRole? builtIn, AgentRole role, AgentRoleSettings settings) => new(
        role,
        Blank(settings.Description) ?? builtIn?.Description ?? string.Empty,
        Blank(settings.Queue) ?? builtIn?.Queue ?? role.Name,
        settings.Tools is { Count: > 0 } tools ? [.. tools.Select(t => t.Trim()).Distinct(StringComparer.Ordinal)] : builtIn?.Tools ?? AgentTools.Default,
        settings.Plannable ?? builtIn?.Plannable ?? true,
        Blank(settings.SystemPrompt),
        Blank(settings.SystemPromptFile));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static int BuiltInOrder(AgentRole role)
    {
        var index = AgentRole.BuiltIn.ToList().IndexOf(role);
        return index < 0 ? int.MaxValue : index;
    }
}
