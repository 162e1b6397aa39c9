using MassTransit;
using Orchestrator.Agents;
using Orchestrator.Contracts;

namespace Orchestrator.Agents.Docs;

public sealed class WriteDocsConsumer(AgentTaskRunner runner) : IConsumer<WriteDocs>
{
    public Task Consume(ConsumeContext<WriteDocs> context) => runner.RunAsync(context, context.Message.Task);
}
