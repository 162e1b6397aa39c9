using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Orchestrator.Bench.Orchestration;

/// <summary>
/// The merge service's clean-up queues subscribe to every feature's end; once the real merge service has run on the
/// benchmark's vhost, they keep collecting the ends of the simulated features. Emptied before the real merge service
/// starts, so it measures the work of this run, not thousands of clean-ups of features that never had a repository.
/// </summary>
internal static class MergeBacklog
{
    private static readonly string[] Queues = ["staging-cleanup", "task-branch-cleanup"];

    public static async Task PurgeAsync(Uri broker)
    {
        var factory = new ConnectionFactory { Uri = broker, ClientProvidedName = "bench-merge-backlog" };
        await using var connection = await factory.CreateConnectionAsync();
        foreach (var queue in Queues)
        {
            // A queue that does not exist closes the channel: one channel per queue.
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                await channel.QueuePurgeAsync(queue);
            }
            catch (OperationInterruptedException)
            {
                // Not declared yet: nothing to purge.
            }
        }
    }
}
