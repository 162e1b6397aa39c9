using Microsoft.Extensions.Configuration;
namespace Orchestrator.AppHost;

internal static class ResourceBuilderExtensions
{
    /// <summary>Configuration sections the AppHost passes on to every service when they are set (e.g. by tests).</summary>
    private static readonly string[] ForwardedSections = ["Features", "Agents", "Merge", "Models"];

    public static IResourceBuilder<ProjectResource> WithOrchestratorDefaults(
        this IResourceBuilder<ProjectResource> project,
        IConfiguration configuration,
        IResourceBuilder<IResourceWithConnectionString> messaging,
        string scriptsPath)
    {
        project.WithReference(messaging)
            .WaitFor(messaging)
            .WithHttpHealthCheck("/health")
            .WithEnvironment("Models__ScriptsPath", scriptsPath);

        foreach (var section in ForwardedSections)
        {
            foreach (var (key, value) in configuration.GetSection(section).AsEnumerable())
            {
                if (value is not null)
                {
                    project.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
                }
            }
        }

        return project;
    }
}
