using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Orchestrator.Workspaces.Kubernetes;

public static class KubernetesRunnerServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <see cref="WorkspacesServiceCollectionExtensions.AddWorkspaces"/> does, and lets configuration
    /// choose where repository commands run: <c>Runner:Kind</c> = <c>Sandbox</c> (the default: the local runner the
    /// <c>Sandbox</c> section chooses) or <c>KubernetesJob</c> (<see cref="KubernetesJobCommandRunner"/>, configured
    /// by <c>Runner:Kubernetes</c>, validated at start only then).
    /// </summary>
    public static IServiceCollection AddRepositoryCommandRunners(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddWorkspaces();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KubernetesApi>();
        services.TryAddSingleton<KubernetesJobCommandRunner>();
        services.AddOptions<RunnerOptions>()
            .BindConfiguration(RunnerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<KubernetesJobRunnerOptions>()
            .BindConfiguration(KubernetesJobRunnerOptions.Section)
            .PostConfigure<IServiceProvider>((options, provider) =>
                options.Role ??= RoleOf(provider.GetService<IHostEnvironment>()?.ApplicationName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KubernetesJobRunnerOptions>, RunnerOptionsValidation>());

        // Replaces the local choice AddWorkspaces registered; the local runner is still what Runner:Kind=Sandbox gets.
        var local = services.Last(d => d.ServiceType == typeof(IRepositoryCommandRunner));
        services.Replace(ServiceDescriptor.Singleton<IRepositoryCommandRunner>(provider =>
            provider.GetRequiredService<IOptions<RunnerOptions>>().Value.Kind == RunnerKind.KubernetesJob
                ? provider.GetRequiredService<KubernetesJobCommandRunner>()
                : LocalRunner(provider, local)));
        return services;
    }

    /// <summary>The label value for a service: the last part of its application name, lower case, letters and digits only.</summary>
    internal static string RoleOf(string? applicationName)
    {
        var last = (applicationName ?? string.Empty).Split('.', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty;
        var role = new string(last.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(20).ToArray());
        return role.Length > 0 ? role : "runner";
    }

    private static IRepositoryCommandRunner LocalRunner(IServiceProvider provider, ServiceDescriptor local) =>
        local.ImplementationFactory is { } factory
            ? (IRepositoryCommandRunner)factory(provider)
            : local.ImplementationInstance as IRepositoryCommandRunner
              ?? (IRepositoryCommandRunner)ActivatorUtilities.CreateInstance(provider, local.ImplementationType!);
}
