using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.Messaging;

/// <summary>Where one role's work goes: the queue its agent service consumes and the command the saga sends there.</summary>
public abstract record AgentRoute(AgentRole Role, string Queue)
{
    public Uri Address => Queues.Address(Queue);

    /// <summary>Sends the role's command for <paramref name="task"/> to the role's queue.</summary>
    public abstract Task SendAsync(ISendEndpointProvider sender, TaskAssignment task, CancellationToken cancellationToken);
}

/// <inheritdoc cref="AgentRoute"/>
public sealed record AgentRoute<TCommand>(AgentRole Role, string Queue, Func<TaskAssignment, TCommand> Create) : AgentRoute(Role, Queue)
    where TCommand : class, IAgentTaskCommand
{
    public override async Task SendAsync(ISendEndpointProvider sender, TaskAssignment task, CancellationToken cancellationToken)
    {
        var endpoint = await sender.GetSendEndpoint(Address);
        await endpoint.Send(Create(task), cancellationToken);
    }
}

/// <summary>The one table of role → queue → command, used by the saga to dispatch and by the agent services to listen.</summary>
public static class AgentRoutes
{
    public static readonly AgentRoute<ImplementTask> Coder = new(AgentRole.Coder, Queues.Coder, task => new ImplementTask(task));

    public static readonly AgentRoute<WriteTests> Tester = new(AgentRole.Tester, Queues.Tester, task => new WriteTests(task));

    public static readonly AgentRoute<WriteDocs> Docs = new(AgentRole.Docs, Queues.Docs, task => new WriteDocs(task));

    public static AgentRoute For(AgentRole role) => role switch
    {
        AgentRole.Coder => Coder,
        AgentRole.Tester => Tester,
        AgentRole.Docs => Docs,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "No agent service takes this role."),
    };
}
