using MassTransit;
using Orchestrator.Merge.Consumers;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Forges.GitHub;
using Orchestrator.Merge.Staging;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;
using Orchestrator.Workspaces.Kubernetes;

namespace Orchestrator.Merge;

public static class MergeServiceExtensions
{
    public static IHostApplicationBuilder AddMergeServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MergeOptions>()
            .BindConfiguration(MergeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<PublicLinkOptions>()
            .BindConfiguration(PublicLinkOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        // The bubblewrap sandbox, or a Kubernetes Job per command (Runner:Kind, docs/decisions/0012-kubernetes-job-runner.md).
        builder.Services.AddRepositoryCommandRunners();
        builder.Services.AddGitStaging();
        builder.Services.AddSingleton<IPullRequestPublisher, LocalForge>();
        builder.Services.AddGitHubForge();
        builder.Services.AddSingleton<ForgeAccess>();
        builder.Services.AddSingleton<MergeVerifier>();
        builder.Services.AddSingleton(services => new SecretScanner(ServiceSecrets.In(services.GetRequiredService<IConfiguration>())));
        builder.Services.AddSingleton<ReviewBranches>();
        builder.Services.AddSingleton<FeatureConsolidator>();
        builder.Services.AddSingleton<ConsolidationAnswers>();
        builder.AddOrchestratorMessaging(x =>
        {
            // One consolidation at a time per instance: it clones, merges and runs the repository's whole test suite.
            x.AddConsumer<ConsolidateFeatureConsumer>(FailurePolicy.ReportFailuresNeverRetry).Endpoint(e =>
            {
                e.Name = Queues.Merge;
                e.PrefetchCount = 1;
                e.ConcurrentMessageLimit = 1;
            });
            // Publishing a reviewed feature is the end of its consolidation: the same queue, one at a time.
            x.AddConsumer<PublishReviewedFeatureConsumer>(FailurePolicy.ReportFailuresNeverRetry).Endpoint(e =>
            {
                e.Name = Queues.Merge;
                e.PrefetchCount = 1;
                e.ConcurrentMessageLimit = 1;
            });
            // Its own queue, so preparing a new feature never waits behind a long consolidation.
            x.AddConsumer<PrepareWorkRepositoryConsumer>(FailurePolicy.RetryTransientFailures).Endpoint(e => e.Name = Queues.MergePrepare);
            x.AddConsumer<CheckRepositoryConsumer>(FailurePolicy.RetryTransientFailures);
            x.AddConsumer<CommentOnIssueConsumer>(FailurePolicy.RetryTransientFailures);
            x.AddConsumer<StagingCleanupConsumer>(FailurePolicy.RetryTransientFailures);
            x.AddConsumer<TaskBranchCleanupConsumer>(FailurePolicy.RetryTransientFailures);
        });
        return builder;
    }
}
