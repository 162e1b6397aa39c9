using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Orchestrator.Messaging;

/// <summary>The one place MassTransit is configured for every Orchestrator service.</summary>
public static class MessagingExtensions
{
    /// <summary>The Aspire resource name (and connection string name) of the broker.</summary>
    public const string ConnectionName = "messaging";

    /// <summary>
    /// Adds MassTransit over RabbitMQ, reached through the <c>messaging</c> connection string
    /// (<c>amqp://user:password@host:port/vhost</c>). Each service passes in only its own consumers and sagas, each
    /// with a definition that names its endpoint and picks its <see cref="FailurePolicy"/>.
    /// </summary>
    public static IHostApplicationBuilder AddOrchestratorMessaging(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator> configure)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionName} is not set. Point it at a RabbitMQ broker, e.g. " +
                "amqp://user:password@localhost:5672/ (./scripts/rabbitmq.sh starts a local one).");
        }

        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var brokerAddress)
            || brokerAddress.Scheme is not ("amqp" or "amqps" or "rabbitmq" or "rabbitmqs"))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionName} must be an amqp:// URI, e.g. amqp://user:password@localhost:5672/.");
        }

        builder.Services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromSeconds(60);
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });

        builder.Services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            // No outbound call the operator did not configure: MassTransit would report usage to its vendor.
            x.DisableUsageTelemetry();
            configure(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(brokerAddress, host => host.ConnectionName(builder.Environment.ApplicationName));
                cfg.ConfigureEndpoints(context);
            });
        });

        return builder;
    }
}
