using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Llm.Devices.Consumers;
using Orchestrator.Messaging;

namespace Orchestrator.Llm.Devices;

/// <summary>Adds the demo and test devices (scripted model, record, replay) to a service.</summary>
public static class ModelDeviceServiceExtensions
{
    /// <summary>
    /// For the one service that keeps the devices' documents (the orchestrator): the scripts and cassettes folders
    /// (<see cref="ModelDeviceOptions"/>), read and written only here.
    /// </summary>
    public static IServiceCollection AddModelDeviceKeeper(this IServiceCollection services)
    {
        services.AddOptions<ModelDeviceOptions>()
            .BindConfiguration(ModelDeviceOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ScriptLibrary>();
        services.AddSingleton<CassetteLibrary>();
        services.AddSingleton<ModelDeviceSelection>();
        // Tried, so that a test standing in for the keeper beside an agent keeps the agent's bus store.
        services.TryAddSingleton<IModelDeviceStore, LocalModelDeviceStore>();
        services.TryAddSingleton<IModelDevices, ModelDevices>();
        return services;
    }

    /// <summary>The keeper's consumers: it answers the other services and collects their recordings.</summary>
    public static void AddModelDeviceKeeperConsumers(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<ModelDeviceConsumer>(FailurePolicy.RetryTransientFailures);
        x.AddConsumer<CassetteRecordingConsumer>(FailurePolicy.RetryTransientFailures);
    }

    /// <summary>For a service that plays and records through the keeper (the agents).</summary>
    public static IServiceCollection AddModelDevices(this IServiceCollection services)
    {
        services.AddSingleton<IModelDeviceStore, BusModelDeviceStore>();
        services.AddSingleton<IModelDevices, ModelDevices>();
        return services;
    }
}
