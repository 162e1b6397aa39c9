using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Consumers;

/// <summary>
/// Answers whether a repository and branch can be read — and whether its forge will take the pull request — with the
/// forge credentials only this service holds, so a read-only token is found out before any agent works.
/// </summary>
public sealed class CheckRepositoryConsumer(ProcessRunner processes, ForgeAccess forge, IEnumerable<IPullRequestPublisher> publishers)
    : IConsumer<CheckRepository>
{
    public async Task Consume(ConsumeContext<CheckRepository> context)
    {
        var message = context.Message;
        var probe = await GitRemote.ProbeAsync(processes, message.Repository, message.BaseBranch,
            forge.GitEnvironmentFor(message.Repository), context.CancellationToken);
        var publishError = probe.RepositoryReachable && publishers.FirstOrDefault(p => p.CanPublishTo(message.Repository)) is { } publisher
            ? await publisher.CheckWriteAccessAsync(message.Repository, context.CancellationToken)
            : null;
        await context.RespondAsync(new RepositoryChecked(probe.RepositoryReachable, probe.BranchExists, probe.Error) { PublishError = publishError });
    }
}
