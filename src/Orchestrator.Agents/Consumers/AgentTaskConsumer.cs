using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.Agents.Consumers;

/// <summary>Takes one task attempt off the role's queue and carries it out (every role's service runs this consumer).</summary>
public sealed class AgentTaskConsumer<TCommand>(AgentTaskRunner runner) : IConsumer<TCommand>
    where TCommand : class, IAgentTaskCommand
{
    public Task Consume(ConsumeContext<TCommand> context) => runner.RunAsync(context, context.Message.Task);
}
