using MassTransit;
using Orchestrator.Agents;
using Orchestrator.Contracts;

namespace Orchestrator.Agents.Coder;

public sealed class ImplementTaskConsumer(AgentTaskRunner runner) : IConsumer<ImplementTask>
{
    public Task Consume(ConsumeContext<ImplementTask> context) => runner.RunAsync(context, context.Message.Task);
}
