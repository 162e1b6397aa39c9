using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace Orchestrator.Llm;

public static class ModelServiceCollectionExtensions
{
    /// <summary>
    /// Adds the model factory and its options (the demo and test devices come with <c>AddModelDevices</c>). A <c>ConnectionStrings:llm</c>
    /// that is set but invalid stops the service at start, saying which part is wrong.
    /// </summary>
    public static IServiceCollection AddOrchestratorModels(this IServiceCollection services)
    {
        services.AddOptions<ModelOptions>()
            .BindConfiguration(ModelOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModelOptions>, LlmConnectionValidation>();
        // Kernels made from the service provider (new Kernel(services)) pick the filter up.
        services.AddSingleton<IAutoFunctionInvocationFilter, ToolCallArgumentsFilter>();
        services.AddSingleton<ChatModelFactory>();
        services.AddMetrics();
        services.AddSingleton<ModelTokenMetrics>();
        return services;
    }

    // Runs with the options' start-up validation, so a broken connection string fails the start, not the first feature.
    private sealed class LlmConnectionValidation(IConfiguration configuration) : IValidateOptions<ModelOptions>
    {
        public ValidateOptionsResult Validate(string? name, ModelOptions options)
        {
            var value = configuration.GetConnectionString(ChatModelFactory.LlmConnectionName);
            if (string.IsNullOrWhiteSpace(value))
            {
                return ValidateOptionsResult.Success;
            }

            return LlmConnection.TryParse(value, out _, out var error) ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(error);
        }
    }
}
