using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Models;

public static class ModelServiceCollectionExtensions
{
    /// <summary>Adds the model factory, the scripted-model script library and their options.</summary>
    public static IServiceCollection AddOrchestratorModels(this IServiceCollection services)
    {
        services.AddOptions<ModelOptions>()
            .BindConfiguration(ModelOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ScriptLibrary>();
        services.AddSingleton<ChatModelFactory>();
        return services;
    }
}
