using Microsoft.Extensions.Configuration;
namespace Orchestrator.AppHost;

internal static class ResourceBuilderExtensions
{
    /// <summary>Configuration sections the AppHost passes on to every service when they are set (e.g. by tests).</summary>
    private static readonly string[] ForwardedSections = ["Features", "Agents", "Merge", "Models", "Planner", "Pricing", "Sandbox", "Roles"];

    public static IResourceBuilder<ProjectResource> WithOrchestratorDefaults(
        this IResourceBuilder<ProjectResource> project,
        IConfiguration configuration,
        IResourceBuilder<IResourceWithConnectionString> messaging)
    {
        return project.WithReference(messaging)
            .WaitFor(messaging)
            .WithHttpHealthCheck("/health")
            // DCP starts each service with `dotnet run`, whose CLI would otherwise report usage to Microsoft: no outbound
            // call the operator did not configure (tests/Orchestrator.EndToEnd.Tests/Network).
            .WithEnvironment("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
            .WithSections(configuration, ForwardedSections);
    }

    /// <summary>Most instances of one agent role the AppHost starts.</summary>
    public const int MaxAgentReplicas = 16;

    /// <summary>
    /// Instances of an agent role: <c>Agents:Replicas:&lt;role&gt;</c> (1 by default). Any instance can take any of the
    /// role's tasks — they compete on the role's queue and share no disk (ADR 0005) — and each runs up to
    /// <c>Agents:Concurrency</c> of them at once.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAgentReplicas(this IResourceBuilder<ProjectResource> agent, IConfiguration configuration)
    {
        var key = $"Agents:Replicas:{agent.Resource.Name}";
        var replicas = configuration.GetValue<int?>(key) ?? 1;
        if (replicas is < 1 or > MaxAgentReplicas)
        {
            throw new InvalidOperationException($"{key} must be between 1 and {MaxAgentReplicas}; it is {replicas}.");
        }

        return replicas == 1 ? agent : agent.WithReplicas(replicas);
    }

    /// <summary>Passes configuration sections on to a service as environment variables (<c>A:B</c> becomes <c>A__B</c>).</summary>
    private static IResourceBuilder<ProjectResource> WithSections(
        this IResourceBuilder<ProjectResource> project, IConfiguration configuration, IEnumerable<string> sections)
    {
        foreach (var section in sections)
        {
            foreach (var (key, value) in configuration.GetSection(section).AsEnumerable().Where(e => e.Value is not null))
            {
                project.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
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

    /// <summary>
    /// The HTTP API's keys and rules, for the orchestrator only. Each key becomes a secret parameter
    /// (<c>api-key-&lt;name&gt;</c>, masked in the dashboard) given to the orchestrator as <c>Api__Keys__&lt;name&gt;</c>:
    /// from <c>Api:Keys:&lt;name&gt;</c> (user secrets, tests) or read from the file named by
    /// <c>Api:KeyFiles:&lt;name&gt;</c> (./run.sh), so that a key is never on a command line nor in the environment every
    /// service inherits from the AppHost. <c>Api:SubmissionLimit</c> and <c>Repositories</c> are passed on as they are.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithApiAccess(
        this IResourceBuilder<ProjectResource> orchestrator, IDistributedApplicationBuilder builder)
    {
        foreach (var key in builder.Configuration.GetSection("Api:Keys").GetChildren().Where(k => !string.IsNullOrEmpty(k.Value)))
        {
            orchestrator.WithEnvironment($"Api__Keys__{key.Key}",
                builder.AddParameterFromConfiguration($"api-key-{key.Key}", key.Path, secret: true));
        }

        foreach (var file in builder.Configuration.GetSection("Api:KeyFiles").GetChildren().Where(f => !string.IsNullOrEmpty(f.Value)))
        {
            var key = File.ReadAllText(Path.GetFullPath(file.Value!, builder.AppHostDirectory)).Trim();
            orchestrator.WithEnvironment($"Api__Keys__{file.Key}",
                builder.AddParameter($"api-key-{file.Key}", key, publishValueAsDefault: false, secret: true));
        }

        return orchestrator.WithSections(builder.Configuration, ["Api:SubmissionLimit", "Repositories"]);
    }

    /// <summary>
    /// GitHub's issue webhook, for the orchestrator only: its secret is the secret parameter <c>github-webhook-secret</c>
    /// (user secrets or <c>Parameters__github-webhook-secret</c>); without it the webhook endpoint does not exist. The
    /// rest of <c>Webhooks:GitHub</c> (label, model, path) is passed on as it is.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithIssueWebhooks(
        this IResourceBuilder<ProjectResource> orchestrator, IDistributedApplicationBuilder builder) =>
        orchestrator.WithSectionAndSecret(builder, "Webhooks:GitHub", "Webhooks:GitHub:Secret", "github-webhook-secret");

    /// <summary>
    /// The outgoing webhooks (docs/integration.md), for the orchestrator only: each URL as it is, each secret as a secret
    /// parameter (<c>webhook-secret-&lt;name&gt;</c>, masked in the dashboard) from <c>Integration:Webhooks:&lt;name&gt;:Secret</c>
    /// (user secrets), so that it is never on a command line nor in the environment every service inherits from the
    /// AppHost. <c>Integration:WebhookDelivery</c> is passed on as it is.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOutgoingWebhooks(
        this IResourceBuilder<ProjectResource> orchestrator, IDistributedApplicationBuilder builder)
    {
        foreach (var webhook in builder.Configuration.GetSection("Integration:Webhooks").GetChildren())
        {
            var variable = $"Integration__Webhooks__{webhook.Key}";
            orchestrator.WithEnvironment($"{variable}__Url", webhook["Url"] ?? string.Empty);
            // Without a secret the orchestrator refuses to start and says which one is missing.
            if (!string.IsNullOrEmpty(webhook["Secret"]))
            {
                orchestrator.WithEnvironment($"{variable}__Secret",
                    builder.AddParameterFromConfiguration($"webhook-secret-{webhook.Key}", $"{webhook.Path}:Secret", secret: true));
            }
        }

        return orchestrator.WithSections(builder.Configuration, ["Integration:WebhookDelivery"]);
    }

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
        this IResourceBuilder<ProjectResource> merge, IDistributedApplicationBuilder builder) =>
        merge.WithSectionAndSecret(builder, "Forge", "Forge:GitHub:Token", "github-token");

    /// <summary>
    /// Passes <paramref name="section"/> on as it is, except every setting named like <paramref name="secretSetting"/>'s
    /// last part in it: that one comes only from the secret parameter <paramref name="parameter"/>
    /// (<c>Parameters:&lt;parameter&gt;</c>, masked in the dashboard, never on a command line), when it is set.
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithSectionAndSecret(
        this IResourceBuilder<ProjectResource> project, IDistributedApplicationBuilder builder, string section, string secretSetting, string parameter)
    {
        var secretName = secretSetting[secretSetting.LastIndexOf(':')..];
        foreach (var (key, value) in builder.Configuration.GetSection(section).AsEnumerable())
        {
            if (value is not null && !key.EndsWith(secretName, StringComparison.OrdinalIgnoreCase))
            {
                project.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }

        if (!string.IsNullOrEmpty(builder.Configuration[$"Parameters:{parameter}"]))
        {
            project.WithEnvironment(secretSetting.Replace(":", "__", StringComparison.Ordinal), builder.AddParameter(parameter, secret: true));
        }

        return project;
    }
}
