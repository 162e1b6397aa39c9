using System.Text;
using Orchestrator.Messaging.Roles;

namespace Orchestrator.Planning;

/// <summary>
/// What the planner is told about the roles it may give tasks to (name and description of each plannable role of
/// <see cref="AgentRoles"/>), and the roles its plans are checked against. Roles are configuration, so this text is
/// not in the planner's prompt file.
/// </summary>
public sealed class PlannerRoles(AgentRoles roles)
{
    /// <summary>The installation's roles, as <see cref="PlanValidator"/> takes them.</summary>
    public AgentRoles Roles => roles;

    /// <summary>A message for the planner: the roles, one a line, and that no other role exists.</summary>
    public string Text
    {
        get
        {
            var plannable = roles.Plannable;
            var text = new StringBuilder("The role agents you can give tasks to (a task's \"role\" is one of these names, nothing else):\n");
            foreach (var role in plannable)
            {
                text.Append("- `").Append(role.Role.Name).Append("`: ").Append(OneLine(role.Description)).Append('\n');
            }

            return text.ToString();
        }
    }

    // A description is configuration, written by an operator: one line each, so the list stays a list.
    private static string OneLine(string description) =>
        string.Join(' ', description.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
