using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Orchestrator.AppHost;

/// <summary>
/// Roles as configuration (docs/decisions/0014-roles-as-configuration.md): the <c>Roles</c> section reaches every
/// service (the orchestrator tells the planner about the roles and routes their tasks; each agent service reads its
/// own), and each role there that is not built in gets one generic agent service, named by the role, that runs it
/// (<c>Agent:Role</c>). Adding a role takes configuration, not code.
/// </summary>
internal static partial class ConfiguredRoles
{
    // AgentRole's names (the AppHost does not reference the contracts: its project references are resources).
    [GeneratedRegex("^[a-z][a-z0-9-]{0,30}\\z")]
    private static partial Regex RoleName();

    private static readonly HashSet<string> BuiltIn = new(StringComparer.OrdinalIgnoreCase) { "coder", "tester", "docs", "reviewer" };

    /// <summary>Resource names a role cannot take.</summary>
    private static readonly HashSet<string> Taken = new(StringComparer.OrdinalIgnoreCase)
    {
        ResourceNames.Messaging, ResourceNames.Orchestrator, ResourceNames.Merge, ResourceNames.Llm, ResourceNames.State,
    };

    /// <summary>
    /// Makes each <c>Roles:&lt;name&gt;:SystemPromptFile</c> absolute (a relative one is relative to the repository root)
    /// and starts one generic agent service per role that is not built in. Call it before any service is added: the
    /// services receive the section as it is then.
    /// </summary>
    public static void AddConfiguredRoles(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<IResourceWithConnectionString> messaging,
        IResourceBuilder<IResourceWithConnectionString>? llm,
        string repositoryRoot)
    {
        var roles = builder.Configuration.GetSection("Roles").GetChildren().ToList();
        foreach (var role in roles.Where(r => !string.IsNullOrWhiteSpace(r["SystemPromptFile"])))
        {
            builder.Configuration[$"{role.Path}:SystemPromptFile"] = Path.GetFullPath(role["SystemPromptFile"]!, repositoryRoot);
        }

        foreach (var role in roles.Where(r => !BuiltIn.Contains(r.Key)))
        {
            var name = role.Key.ToLowerInvariant();
            if (!RoleName().IsMatch(name))
            {
                throw new InvalidOperationException($"Roles:{role.Key}: '{role.Key}' is not a role name: 1-31 letters, digits or dashes, starting with a letter.");
            }

            if (Taken.Contains(name))
            {
                throw new InvalidOperationException($"Roles:{role.Key}: '{name}' is the name of one of the system's own services; choose another role name.");
            }

            builder.AddProject<Projects.Orchestrator_Agents_Service>(name)
                .WithOrchestratorDefaults(builder.Configuration, messaging)
                // Several roles run the same project: each instance's endpoint gets a port of its own.
                .WithEndpoint("http", endpoint => endpoint.Port = null)
                .WithEnvironment("Agent__Role", name)
                .WithModel(llm)
                .WithAgentReplicas(builder.Configuration);
        }
    }
}
