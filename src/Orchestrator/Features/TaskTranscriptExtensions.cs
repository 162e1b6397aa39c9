using System.Data.Common;
using MassTransit;
using Orchestrator.Consumers;
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
    /// The consumer that fills the transcripts, on its own queue. Storing a step is idempotent, so a failing state store is
    /// retried as long as on the saga's endpoint (a database restart of about half a minute is ridden out); anything else
    /// goes to <c>task-transcripts_error</c> at once. It sends nothing, so it needs no outbox.
    /// </summary>
    public static void AddTaskTranscripts(this IBusRegistrationConfigurator x) =>
        x.AddConsumer<TaskTranscriptConsumer>((_, consumer) => consumer.UseMessageRetry(retry =>
        {
            retry.Handle<DbException>();
            retry.Intervals(200, 1000, 5000, 10_000, 20_000);
        })).Endpoint(e => e.Name = TaskTranscriptConsumer.QueueName);
}
