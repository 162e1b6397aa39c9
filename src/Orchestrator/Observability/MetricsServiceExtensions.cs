using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Messaging;
using RabbitMQ.Client;

namespace Orchestrator.Observability;

public static class MetricsServiceExtensions
{
    /// <summary>
    /// The orchestrator's own gauges (features by state, queue depths) and the broker connection the queue depths are
    /// read over: Aspire's RabbitMQ client on <c>ConnectionStrings:messaging</c>, the broker MassTransit uses too.
    /// </summary>
    public static IHostApplicationBuilder AddOrchestratorMetrics(this IHostApplicationBuilder builder)
    {
        // Passive declares are not worth a span each; MassTransit traces the messages themselves.
        builder.AddRabbitMQClient(MessagingExtensions.ConnectionName, settings => settings.DisableTracing = true);
        builder.Services.AddMetrics();
        builder.Services.AddActivatedSingleton<FeatureStateMetrics>();
        builder.Services.AddActivatedSingleton(services => new QueueDepthMetrics(
            services.GetRequiredService<IMeterFactory>(),
            services.GetRequiredService<IConnection>,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<QueueDepthMetrics>>()));
        return builder;
    }
}
