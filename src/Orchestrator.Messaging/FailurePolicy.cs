using MassTransit;

namespace Orchestrator.Messaging;

/// <summary>
/// How a consumer's messages are treated when it throws; every consumer registration names one
/// (<c>x.AddConsumer&lt;T&gt;(FailurePolicy.…)</c>; docs/architecture.md, "Failure policy"). Either way, what a consumer
/// sends or publishes leaves only once it has succeeded (in-memory outbox).
/// </summary>
public static class FailurePolicy
{
    /// <summary>
    /// Work that costs tokens or minutes — an agent task, planning, consolidation. The consumer reports every failure it
    /// can explain as a message (<c>TaskFailed</c> with the tokens spent, <c>FeaturePlanRejected</c>,
    /// <c>ConsolidationFailed</c>); an exception that still escapes is not retried, so the work never silently runs
    /// again: the message goes to the <c>_error</c> queue and its <c>Fault</c> fails the feature with the reason.
    /// </summary>
    public static void ReportFailuresNeverRetry<T>(IRegistrationContext context, IConsumerConfigurator<T> consumer)
        where T : class =>
        consumer.UseInMemoryOutbox(context);

    /// <summary>
    /// Cheap, idempotent work (fetching a base branch, answering a repository check, deleting branches, noting a
    /// cancellation): retried with back-off for a transient failure, then the <c>_error</c> queue.
    /// </summary>
    public static void RetryTransientFailures<T>(IRegistrationContext context, IConsumerConfigurator<T> consumer)
        where T : class
    {
        consumer.UseMessageRetry(retry => retry.Intervals(200, 1000, 5000));
        consumer.UseInMemoryOutbox(context);
    }
}
