using Microsoft.Extensions.Configuration;
namespace Orchestrator.AppHost;

internal static class ResourceBuilderExtensions
{
    /// <summary>Configuration sections the AppHost passes on to every service when they are set (e.g. by tests).</summary>
    private static readonly string[] ForwardedSections = ["Features", "Agents", "Merge", "Models", "Planner", "Pricing", "Sandbox"];

    public static IResourceBuilder<ProjectResource> WithOrchestratorDefaults(
        this IResourceBuilder<ProjectResource> project,
        IConfiguration configuration,
        IResourceBuilder<IResourceWithConnectionString> messaging)
    {
        project.WithReference(messaging)
            .WaitFor(messaging)
            .WithHttpHealthCheck("/health");

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

    /// <summary>
    /// The folders of the scripted model's scripts and of the cassettes, for the orchestrator only: it keeps them and
    /// serves them to the agents over the bus (no other service reads them).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithModelDevices(
        this IResourceBuilder<ProjectResource> orchestrator, IConfiguration configuration, string repositoryRoot) =>
        orchestrator
            .WithEnvironment("Models__ScriptsPath", configuration["Models:ScriptsPath"] ?? Path.Combine(repositoryRoot, "samples", "scripts"))
            .WithEnvironment("Models__CassettesPath", configuration["Models:CassettesPath"] ?? Path.Combine(repositoryRoot, ".orchestrator", "cassettes"));

    /// <summary>The model endpoint, for the services that call models (when one is configured).</summary>
    public static IResourceBuilder<ProjectResource> WithModel(
        this IResourceBuilder<ProjectResource> project, IResourceBuilder<IResourceWithConnectionString>? llm) =>
        llm is null ? project : project.WithReference(llm);

    /// <summary>
    /// The forge settings (<c>Forge:*</c>) and the GitHub token, for the merge service only. The token is a secret
    /// parameter (<c>Parameters:github-token</c>, e.g. from user secrets or an environment variable); without it only
    /// the local forge is available.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithForgeConfiguration(
        this IResourceBuilder<ProjectResource> merge, IDistributedApplicationBuilder builder)
    {
        foreach (var (key, value) in builder.Configuration.GetSection("Forge").AsEnumerable())
        {
            if (value is not null && !key.EndsWith(":Token", StringComparison.OrdinalIgnoreCase))
            {
                merge.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }

        if (!string.IsNullOrEmpty(builder.Configuration["Parameters:github-token"]))
        {
            merge.WithEnvironment("Forge__GitHub__Token", builder.AddParameter("github-token", secret: true));
        }

        return merge;
    }
}
