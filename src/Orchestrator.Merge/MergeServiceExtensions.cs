using MassTransit;
using Orchestrator.Merge.Forges;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge;

public static class MergeServiceExtensions
{
    public static IHostApplicationBuilder AddMergeServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MergeOptions>()
            .BindConfiguration(MergeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddWorkspaces();
        builder.Services.AddSingleton<IPullRequestPublisher, LocalForge>();
        builder.Services.AddSingleton<FeatureConsolidator>();
        builder.AddOrchestratorMessaging(x =>
        {
            x.AddConsumer<ConsolidateFeatureConsumer>().Endpoint(e =>
            {
                e.Name = Queues.Merge;
                e.PrefetchCount = 1;
                e.ConcurrentMessageLimit = 1;
            });
            x.AddConsumer<TaskBranchCleanup>();
        });
        return builder;
    }
}
