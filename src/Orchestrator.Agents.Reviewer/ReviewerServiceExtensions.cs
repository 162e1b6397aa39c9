using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Messaging;

namespace Orchestrator.Agents.Reviewer;

public static class ReviewerServiceExtensions
{
    /// <summary>
    /// The Reviewer agent service: the agent runtime with the Reviewer's role (its embedded prompt unless
    /// <c>Roles:reviewer</c> overrides it, its tools, its queue) and the review consumer on that queue.
    /// </summary>
    public static IHostApplicationBuilder AddReviewerService(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReviewRunner>();
        return builder.AddAgentRuntime(AgentRole.Reviewer, typeof(ReviewRunner).Assembly, (bus, role, concurrency) =>
            bus.AddConsumer<ReviewFeatureConsumer>(FailurePolicy.ReportFailuresNeverRetry).Endpoint(e =>
            {
                e.Name = role.Queue;
                e.PrefetchCount = concurrency;
                e.ConcurrentMessageLimit = concurrency;
            }));
    }
}
