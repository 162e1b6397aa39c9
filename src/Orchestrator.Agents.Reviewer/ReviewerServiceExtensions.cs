using MassTransit;
using Orchestrator.Agents.Consumers;
using Orchestrator.Contracts;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;
using Orchestrator.Messaging;
using Orchestrator.Workspaces.Kubernetes;

namespace Orchestrator.Agents.Reviewer;

public static class ReviewerServiceExtensions
{
    /// <summary>
    /// The Reviewer agent service: the agent runtime (models, workspaces, the sandbox, cancellations, metrics) with the
    /// Reviewer's embedded prompt, and the review consumer on the reviewer's queue.
    /// </summary>
    public static IHostApplicationBuilder AddReviewerService(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(AgentRoleDefinition.FromAssembly(AgentRole.Reviewer, typeof(ReviewRunner).Assembly));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FeatureCancellations>();
        builder.Services.AddSingleton<ReviewRunner>();
        builder.Services.AddSingleton<AgentTaskMetrics>();
        builder.Services.AddRepositoryCommandRunners();
        builder.Services.AddOrchestratorModels();
        builder.Services.AddModelDevices();

        var concurrency = Math.Clamp(
            builder.Configuration.GetSection(AgentOptions.Section).GetValue<int?>(nameof(AgentOptions.Concurrency)) ?? 1, 1, AgentOptions.MaxConcurrency);
        builder.AddOrchestratorMessaging(x =>
        {
            x.AddConsumer<ReviewFeatureConsumer>(FailurePolicy.ReportFailuresNeverRetry).Endpoint(e =>
            {
                e.Name = Queues.Reviewer;
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
