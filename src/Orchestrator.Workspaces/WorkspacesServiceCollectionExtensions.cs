using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Orchestrator.Workspaces;

public static class WorkspacesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ProcessRunner"/> (a singleton) and the logging it needs, and <see cref="IRepositoryCommandRunner"/>
    /// as configured in the <c>Sandbox</c> section (<see cref="SandboxOptions"/>, validated at start).
    /// </summary>
    public static IServiceCollection AddWorkspaces(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.TryAddSingleton<ProcessRunner>();
        services.TryAddSingleton<BubblewrapCommandRunner>();
        services.TryAddSingleton<UnsandboxedCommandRunner>();
        services.TryAddSingleton(RepositoryCommandRunnerFor);
        services.AddOptions<SandboxOptions>()
            .BindConfiguration(SandboxOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    private static IRepositoryCommandRunner RepositoryCommandRunnerFor(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<SandboxOptions>>().Value.Mode == SandboxMode.None
            ? provider.GetRequiredService<UnsandboxedCommandRunner>()
            : provider.GetRequiredService<BubblewrapCommandRunner>();
}
