using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.Agents.Reviewer;

/// <summary>Takes one review attempt off the reviewer's queue and carries it out.</summary>
public sealed class ReviewFeatureConsumer(ReviewRunner runner) : IConsumer<ReviewFeature>
{
    public Task Consume(ConsumeContext<ReviewFeature> context) => runner.RunAsync(context, context.Message);
}
