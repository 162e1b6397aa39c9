using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.Messaging;

/// <summary>Where one role's work goes: the queue its agent service consumes and the command the saga sends there.</summary>
public abstract record AgentRoute(AgentRole Role, string Queue)
{
    public Uri Address => Queues.Address(Queue);

    /// <summary>Sends the role's command for <paramref name="task"/> to the role's queue.</summary>
    public abstract Task SendAsync(ISendEndpointProvider sender, TaskAssignment task, CancellationToken cancellationToken);

    /// <summary>Hands the route to code that needs its command's type (an agent service registering its consumer).</summary>
    public abstract void Accept(IAgentRouteHandler handler);
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

    public override void Accept(IAgentRouteHandler handler) => handler.Handle(this);
}

/// <summary>Works with a route whatever its command type is.</summary>
public interface IAgentRouteHandler
{
    void Handle<TCommand>(AgentRoute<TCommand> route) where TCommand : class, IAgentTaskCommand;
}

/// <summary>
/// Role → queue → command, used by the saga to dispatch and by the agent services to listen. The built-in roles keep
/// their own commands (other systems integrate by them); every configured role gets <see cref="RunAgentTask"/>.
/// </summary>
public static class AgentRoutes
{
    public static readonly AgentRoute<ImplementTask> Coder = new(AgentRole.Coder, Queues.Coder, task => new ImplementTask(task));

    public static readonly AgentRoute<WriteTests> Tester = new(AgentRole.Tester, Queues.Tester, task => new WriteTests(task));

    public static readonly AgentRoute<WriteDocs> Docs = new(AgentRole.Docs, Queues.Docs, task => new WriteDocs(task));

    private static readonly IReadOnlyDictionary<AgentRole, AgentRoute> Typed = new Dictionary<AgentRole, AgentRoute>
    {
        [AgentRole.Coder] = Coder,
        [AgentRole.Tester] = Tester,
        [AgentRole.Docs] = Docs,
    };

    /// <summary>The route of <paramref name="role"/> to <paramref name="queue"/> (by default its usual queue, or its name).</summary>
    public static AgentRoute For(AgentRole role, string? queue = null)
    {
        if (Typed.TryGetValue(role, out var typed))
        {
            return queue is null || queue == typed.Queue ? typed : typed with { Queue = queue };
        }

        return new AgentRoute<RunAgentTask>(role, queue ?? role.Name, task => new RunAgentTask(task));
    }
}
