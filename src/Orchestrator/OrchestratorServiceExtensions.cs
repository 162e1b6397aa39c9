using MassTransit;
using Orchestrator.Features;
using Orchestrator.Contracts;
using Orchestrator.Messaging;
using Orchestrator.Http;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;
using Orchestrator.Persistence;

namespace Orchestrator;

public static class OrchestratorServiceExtensions
{
    /// <summary>The Aspire resource name (and connection string name) of the durable state store.</summary>
    public const string StateConnectionName = "state";

    public static IHostApplicationBuilder AddOrchestratorServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddFeatureServices();
        builder.Services.AddOrchestratorModels();
        builder.Services.AddModelDeviceKeeper();
        builder.Services.AddScoped<FeatureSubmission>();

        var state = StateConnectionString(builder.Configuration);
        builder.AddOrchestratorMessaging(x =>
        {
            x.AddFeatureWorkflow(saga => saga.DocumentRepository(state, sagaTypeName: "feature"));
            x.AddPlanner();
            x.AddModelDeviceKeeperConsumers();
            x.AddRequestClient<SubmitFeature>();
            x.AddRequestClient<CheckRepository>();
        });
        return builder;
    }

    // Feature state must survive restarts: a SQLite file, by default in the user's data folder.
    private static string StateConnectionString(IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString(StateConnectionName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "orchestrator");
        return $"Data Source={Path.Combine(folder, "state.db")}";
    }
}
