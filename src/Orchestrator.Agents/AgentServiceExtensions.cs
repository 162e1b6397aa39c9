using System.Reflection;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Agents.Consumers;
using Orchestrator.Contracts;
using Orchestrator.Messaging;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents;

public static class AgentServiceExtensions
{
    /// <summary>
    /// Adds the agent runtime for one role: the role's prompt (embedded <c>Prompts/system.md</c> in
    /// <paramref name="roleAssembly"/>), the task runner, the models, the workspaces, and messaging with the role's
    /// task consumer on the role's queue (from <see cref="AgentRoutes"/>).
    /// </summary>
    public static IHostApplicationBuilder AddAgentService<TCommand>(
        this IHostApplicationBuilder builder, AgentRoute<TCommand> route, Assembly roleAssembly)
        where TCommand : class, IAgentTaskCommand
    {
        builder.Services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(AgentRoleDefinition.FromAssembly(route.Role, roleAssembly));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FeatureCancellations>();
        builder.Services.AddSingleton<AgentTaskRunner>();
        builder.Services.AddSingleton<AgentTaskMetrics>();
        builder.Services.AddWorkspaces();
        builder.Services.AddOrchestratorModels();
        builder.Services.AddModelDevices();

        builder.AddOrchestratorMessaging(x =>
        {
            x.AddConsumer<AgentTaskConsumer<TCommand>>(FailurePolicy.ReportFailuresNeverRetry).Endpoint(e =>
            {
                e.Name = route.Queue;
                // One task at a time per instance: tasks are heavy (clones, builds); scale with replicas.
                e.PrefetchCount = 1;
                e.ConcurrentMessageLimit = 1;
            });
            x.AddConsumer<FeatureEndedConsumer>(FailurePolicy.RetryTransientFailures).Endpoint(e =>
            {
                e.InstanceId = $"{Environment.MachineName}-{Environment.ProcessId}";
                e.Temporary = true;
            });
        });
        return builder;
    }
}
