using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Agents.Consumers;
using Orchestrator.Contracts;
using Orchestrator.Messaging;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;
using Orchestrator.Workspaces;
using Orchestrator.Workspaces.Kubernetes;

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
        // The bubblewrap sandbox, or a Kubernetes Job per command (Runner:Kind, docs/decisions/0012-kubernetes-job-runner.md).
        builder.Services.AddRepositoryCommandRunners();
        builder.Services.AddOrchestratorModels();
        builder.Services.AddModelDevices();

        // Read here, as the endpoint is configured before options are validated (a value out of range stops the start).
        var concurrency = Math.Clamp(
            builder.Configuration.GetSection(AgentOptions.Section).GetValue<int?>(nameof(AgentOptions.Concurrency)) ?? 1, 1, AgentOptions.MaxConcurrency);
        builder.AddOrchestratorMessaging(x =>
        {
            x.AddConsumer<AgentTaskConsumer<TCommand>>(FailurePolicy.ReportFailuresNeverRetry).Endpoint(e =>
            {
                e.Name = route.Queue;
                // Agents:Concurrency tasks at a time per instance, and no more taken off the queue than that.
                e.PrefetchCount = concurrency;
                e.ConcurrentMessageLimit = concurrency;
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
