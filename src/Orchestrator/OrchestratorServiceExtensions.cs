using MassTransit;
using Microsoft.Extensions.Options;
using Orchestrator.Features;
using Orchestrator.Contracts;
using Orchestrator.Messaging;
using Orchestrator.GitHub;
using Orchestrator.Http;
using Orchestrator.Http.Access;
using Orchestrator.Http.Repositories;
using Orchestrator.Integration;
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
        builder.Services.AddOrchestratorApi();
        builder.Services.AddFeatureServices();
        builder.Services.AddOrchestratorModels();
        builder.Services.AddModelDeviceKeeper();

        var state = StateConnectionString(builder.Configuration);
        builder.AddOrchestratorMessaging(x =>
        {
            x.AddFeatureWorkflow(saga => saga.DocumentRepository(state, sagaTypeName: "feature"));
            x.AddPlanner();
            x.AddModelDeviceKeeperConsumers();
            x.AddFeatureWebhooks(builder.Configuration);
            x.AddRequestClient<SubmitFeature>();
            x.AddRequestClient<CheckRepository>();
        });
        return builder;
    }

    /// <summary>
    /// The HTTP API's own services: problem details, API keys and the submission limit (<c>Api</c>), the repository
    /// allow-list (<c>Repositories</c>) and the submission itself. Shared by the service and its tests.
    /// </summary>
    public static IServiceCollection AddOrchestratorApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddApiReference();
        services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddApiAccess();
        services.AddOptions<RepositoryOptions>().BindConfiguration(RepositoryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RepositoryOptions>, RepositoryOptionsValidation>();
        services.AddSingleton<OrchestratorFolders>();
        services.AddSingleton<RepositoryAllowList>();
        services.AddScoped<FeatureSubmission>();
        services.AddIssueWebhooks();
        return services;
    }

    /// <summary>
    /// The HTTP pipeline: problem details for errors, then the API keys and limits, then the endpoints — health open,
    /// <c>/features</c> behind a key, the board's static files open (they hold no data). Shared by the service and its
    /// tests, so both run the same order.
    /// </summary>
    public static WebApplication UseOrchestratorApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseBoard();
        app.UseApiAccess();
        app.MapDefaultEndpoints();
        app.MapApiReference();
        app.MapFeatureEndpoints();
        app.MapIssueWebhooks();
        return app;
    }

    // Feature state must survive restarts: a SQLite file, by default in the user's data folder.
    internal static string StateConnectionString(IConfiguration configuration)
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
