using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.Agents.Consumers;

/// <summary>
/// Stops this instance's work on a feature that was cancelled or has failed (its other tasks' work is no longer
/// wanted). Every instance has its own temporary queue, so every replica hears it.
/// </summary>
public sealed class FeatureEndedConsumer(FeatureCancellations cancellations) : IConsumer<FeatureCancelled>, IConsumer<FeatureFailed>
{
    public Task Consume(ConsumeContext<FeatureCancelled> context)
    {
        cancellations.Cancel(context.Message.FeatureId);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<FeatureFailed> context)
    {
        cancellations.Cancel(context.Message.FeatureId);
        return Task.CompletedTask;
    }
}
