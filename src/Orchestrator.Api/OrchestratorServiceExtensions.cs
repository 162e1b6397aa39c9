using MassTransit;
using Orchestrator.Api.Features;
using Orchestrator.Messaging;
using Orchestrator.Models;
using Orchestrator.Workspaces;

namespace Orchestrator.Api;

public static class OrchestratorServiceExtensions
{
    public static IHostApplicationBuilder AddOrchestratorServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddFeatureServices();
        builder.Services.AddOrchestratorModels();
        builder.Services.AddWorkspaces();
        builder.AddOrchestratorMessaging(x =>
        {
            x.AddFeatureWorkflow(saga => saga.InMemoryRepository());
            x.AddPlanner();
            x.AddRequestClient<Orchestrator.Contracts.SubmitFeature>();
        });
        return builder;
    }
}
