using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Consumers;
using Orchestrator.Planning;
using Orchestrator.StateMachines;
using Orchestrator.Messaging;
using Orchestrator.Messaging.Roles;

namespace Orchestrator.Features;

public static class FeatureWorkflowExtensions
{
    /// <summary>The feature saga on its endpoint, kept in the given repository. Shared by the service and its tests.</summary>
    public static void AddFeatureWorkflow(this IBusRegistrationConfigurator x, Action<ISagaRegistrationConfigurator<FeatureState>> repository)
    {
        // The saga sends each task on its role's route, and checks an edited plan's roles.
        x.AddAgentRoles();
        repository(x.AddSagaStateMachine<FeatureStateMachine, FeatureState, FeatureStateDefinition>());
    }

    /// <summary>The planner on its queue, with its options (<c>Planner</c> section) and the answers it gave.</summary>
    public static void AddPlanner(this IBusRegistrationConfigurator x)
    {
        x.AddPlannerOptions();
        x.TryAddSingleton(TimeProvider.System);
        x.TryAddSingleton<PlannerAnswers>();
        x.AddAgentRoles();
        x.TryAddSingleton<PlannerRoles>();
        // The planner clones the base branch it reads (git, through the one process launcher).
        x.TryAddSingleton<Orchestrator.Workspaces.ProcessRunner>();
        x.AddConsumer<PlanFeatureConsumer>(FailurePolicy.ReportFailuresNeverRetry).Endpoint(e => e.Name = Queues.Planner);
    }

    /// <summary>Options, the deadline monitor and the reader behind the HTTP API.</summary>
    public static IServiceCollection AddFeatureServices(this IServiceCollection services)
    {
        services.AddOptions<FeatureWorkflowOptions>()
            .BindConfiguration(FeatureWorkflowOptions.Section)
            .ValidateDataAnnotations()
            .Validate(
                o => o.DefaultTokenBudget <= o.MaxTokenBudget,
                $"{FeatureWorkflowOptions.Section}:DefaultTokenBudget must not exceed {FeatureWorkflowOptions.Section}:MaxTokenBudget.")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<FeatureReader>();
        services.AddAgentRoles();
        services.AddOptions<PricingOptions>().BindConfiguration(PricingOptions.Section);
        services.AddSingleton<PriceTable>();
        services.AddHostedService<DeadlineMonitor>();
        return services;
    }
}
