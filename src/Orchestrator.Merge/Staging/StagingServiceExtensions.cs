using Orchestrator.Merge.Forges;

namespace Orchestrator.Merge.Staging;

public static class StagingServiceExtensions
{
    /// <summary>The staging repositories (section <c>Merge:Staging</c>): their keys, the git endpoint's access checks and limits.</summary>
    public static IServiceCollection AddGitStaging(this IServiceCollection services)
    {
        services.AddOptions<StagingOptions>()
            .BindConfiguration(StagingOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.BaseUrl is null || Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), "Merge:Staging:BaseUrl must be an absolute URL")
            .ValidateOnStart();
        services.AddSingleton<StagingKeys>();
        services.AddSingleton<StagingAccess>();
        services.AddSingleton<StagingRequestLimiter>();
        services.AddSingleton<IForgeCredentials, StagingReaderCredentials>();
        return services;
    }
}
