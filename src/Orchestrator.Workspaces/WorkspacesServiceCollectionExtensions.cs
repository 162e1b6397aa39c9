using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orchestrator.Workspaces;

public static class WorkspacesServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ProcessRunner"/> (a singleton) and the logging it needs.</summary>
    public static IServiceCollection AddWorkspaces(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.TryAddSingleton<ProcessRunner>();
        return services;
    }
}
