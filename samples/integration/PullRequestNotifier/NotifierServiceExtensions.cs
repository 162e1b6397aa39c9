using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PullRequestNotifier;

public static class NotifierServiceExtensions
{
    /// <summary>The broker's connection string name, the same as the Orchestrator's: <c>ConnectionStrings:messaging</c>.</summary>
    public const string ConnectionName = "messaging";

    /// <summary>
    /// The notifier on RabbitMQ: its consumer on its own durable queue (<c>Notifier:Queue</c>), which MassTransit binds
    /// to the exchanges of the two events, so every one the Orchestrator publishes lands there too.
    /// </summary>
    public static IHostApplicationBuilder AddPullRequestNotifier(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName);
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var broker) || broker.Scheme is not ("amqp" or "amqps"))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionName} must be the Orchestrator's broker as an amqp:// URI, e.g. amqp://user:password@localhost:5672/.");
        }

        builder.Services.AddNotifierServices();
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(options => options.WaitUntilStarted = true);
        var queue = builder.Configuration[$"{NotifierOptions.Section}:Queue"] ?? new NotifierOptions().Queue;
        builder.Services.AddMassTransit(x =>
        {
            // Nothing leaves for the library's vendor that nobody asked for.
            x.DisableUsageTelemetry();
            x.AddFeatureOutcomeConsumer(queue);
            // A message that keeps failing goes to <queue>_error; no Fault<T> is published for it, since nobody listens
            // and a broker user that may only read the Orchestrator's events could not publish one.
            x.AddConfigureEndpointsCallback((_, _, endpoint) => endpoint.PublishFaults = false);
            x.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker);
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    /// <summary>The options and the log file. Shared with the tests.</summary>
    public static IServiceCollection AddNotifierServices(this IServiceCollection services)
    {
        services.AddOptions<NotifierOptions>().BindConfiguration(NotifierOptions.Section)
            .Validate(o => o.HasValidQueue, "Notifier:Queue must be letters, digits, '.', '_' or '-'.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.OutputFile), "Notifier:OutputFile must name a file.")
            .ValidateOnStart();
        services.AddSingleton<PullRequestLog>();
        return services;
    }

    /// <summary>The consumer on <paramref name="queue"/>, a full disk retried a few times before the message goes to <c>_error</c>. Shared with the tests.</summary>
    public static void AddFeatureOutcomeConsumer(this IBusRegistrationConfigurator x, string queue) =>
        x.AddConsumer<FeatureOutcomeConsumer>(consumer => consumer.UseMessageRetry(retry => retry.Intervals(200, 1000, 5000)))
            .Endpoint(endpoint => endpoint.Name = queue);
}
