using MassTransit;
using Orchestrator.Agents;
using Orchestrator.Contracts;

namespace Orchestrator.Agents.Tester;

public sealed class WriteTestsConsumer(AgentTaskRunner runner) : IConsumer<WriteTests>
{
    public Task Consume(ConsumeContext<WriteTests> context) => runner.RunAsync(context, context.Message.Task);
}
