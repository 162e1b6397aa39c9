using Orchestrator.Merge.Forges;

namespace Orchestrator.Merge.Staging;

public static class StagingServiceExtensions
{
    /// <summary>The staging repositories (section <c>Merge:Staging</c>): their keys, the git endpoint's access checks and limits.</summary>
    public static IServiceCollection AddGitStaging(this IServiceCollection services)
    {
        services.AddSingleton<StagingKeys>();
        services.AddSingleton<StagingRepositoryLocks>();
        services.AddSingleton<StagingAccess>();
        services.AddSingleton<StagingRequestLimiter>();
        services.AddSingleton<StagingRunnerWorkspaces>();

        // Consolidation reads the staging repositories with this service's own credential, never an agent's.
        services.AddSingleton<IForgeCredentials, StagingReaderCredentials>();
        services.AddOptions<StagingOptions>()
            .BindConfiguration(StagingOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.BaseUrl is null || Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), "Merge:Staging:BaseUrl must be an absolute URL")
            .ValidateOnStart();
        return services;
    }
}
