using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orchestrator.Consumers;
using Orchestrator.Messaging;

namespace Orchestrator.Integration;

public static class IntegrationServiceExtensions
{
    /// <summary>The queue of the webhook notifications (with <c>_error</c> for those a receiver did not accept).</summary>
    public const string WebhookQueue = "feature-webhooks";

    /// <summary>
    /// The outgoing webhooks (<c>Integration</c> section), checked at start; their consumer and queue exist only when a
    /// webhook is configured. Shared by the service and its tests.
    /// </summary>
    public static void AddFeatureWebhooks(this IBusRegistrationConfigurator x, IConfiguration configuration)
    {
        x.AddIntegrationOptions();
        if (!configuration.GetSection($"{IntegrationOptions.Section}:Webhooks").GetChildren().Any())
        {
            return;
        }

        x.TryAddSingleton(TimeProvider.System);
        x.AddSingleton<WebhookSender>();
        // The sender has already retried what a retry can help; the message itself is not tried again, it goes to _error.
        x.AddConsumer<FeatureWebhookConsumer>(FailurePolicy.ReportFailuresNeverRetry).Endpoint(e => e.Name = WebhookQueue);
    }

    /// <summary>The <c>Integration</c> section, checked at start (<see cref="IntegrationOptionsValidation"/>).</summary>
    public static IServiceCollection AddIntegrationOptions(this IServiceCollection services)
    {
        services.AddOptions<IntegrationOptions>().BindConfiguration(IntegrationOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IntegrationOptions>, IntegrationOptionsValidation>();
        return services;
    }
}
