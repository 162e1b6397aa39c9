using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Orchestrator.Messaging.Roles;

public static class AgentRolesServiceCollectionExtensions
{
    /// <summary>
    /// The roles (<see cref="AgentRoles"/>) from the <c>Roles</c> section, checked at start. Without any configuration
    /// (a test harness) the built-in roles alone. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddAgentRoles(this IServiceCollection services)
    {
        services.AddOptions<AgentRolesOptions>()
            .Configure<IServiceProvider>((options, provider) =>
                provider.GetService<IConfiguration>()?.GetSection(AgentRolesOptions.Section).Bind(options.Roles))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentRolesOptions>, AgentRolesValidation>());
        services.TryAddSingleton(provider => new AgentRoles(provider.GetRequiredService<IOptions<AgentRolesOptions>>().Value));
        return services;
    }
}
