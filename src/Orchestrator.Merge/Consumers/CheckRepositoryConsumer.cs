using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Consumers;

/// <summary>Answers whether a repository and branch can be read, with the forge credentials only this service holds.</summary>
public sealed class CheckRepositoryConsumer(ProcessRunner processes, ForgeAccess forge) : IConsumer<CheckRepository>
{
    public async Task Consume(ConsumeContext<CheckRepository> context)
    {
        var message = context.Message;
        var probe = await GitRemote.ProbeAsync(processes, message.Repository, message.BaseBranch,
            forge.GitEnvironmentFor(message.Repository), context.CancellationToken);
        await context.RespondAsync(new RepositoryChecked(probe.RepositoryReachable, probe.BranchExists, probe.Error));
    }
}
