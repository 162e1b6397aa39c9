using MassTransit;
using Orchestrator.Consumers;
using Orchestrator.Messaging;
using Orchestrator.Persistence.Transcripts;

namespace Orchestrator.Features;

public static class TaskTranscriptExtensions
{
    /// <summary>The transcripts' store, in the state database (<c>ConnectionStrings:state</c>) beside the sagas.</summary>
    public static IServiceCollection AddTaskTranscriptStore(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
            TaskTranscriptStore.Create(OrchestratorServiceExtensions.StateConnectionString(provider.GetRequiredService<IConfiguration>())));
        return services;
    }

    /// <summary>
    /// The consumer that fills the transcripts, on its own queue; storing a step is idempotent, so it is retried like other
    /// cheap work.
    /// </summary>
    public static void AddTaskTranscripts(this IBusRegistrationConfigurator x) =>
        x.AddConsumer<TaskTranscriptConsumer>(FailurePolicy.RetryTransientFailures).Endpoint(e => e.Name = TaskTranscriptConsumer.QueueName);
}
