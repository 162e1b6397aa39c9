using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orchestrator.Merge.Forges.GitHub;

public static class GitHubForgeExtensions
{
    /// <summary>
    /// Adds the GitHub forge (section <c>Forge:GitHub</c>) as one more <see cref="IPullRequestPublisher"/> and as an
    /// <see cref="IForgeCredentials"/>. It publishes only when a token is configured; other publishers stay in place.
    /// </summary>
    public static IServiceCollection AddGitHubForge(this IServiceCollection services)
    {
        services.AddOptions<GitHubOptions>()
            .BindConfiguration(GitHubOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GitHubPublisher>();
        services.AddSingleton<IPullRequestPublisher>(sp => sp.GetRequiredService<GitHubPublisher>());
        services.AddSingleton<IForgeCredentials>(sp => sp.GetRequiredService<GitHubPublisher>());
        services.AddSingleton<IIssueCommenter>(sp => sp.GetRequiredService<GitHubPublisher>());
        return services;
    }
}
