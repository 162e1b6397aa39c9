using MassTransit;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Staging;

/// <summary>Git environment (forge credentials) for a repository, from whichever forge handles it.</summary>
public sealed class ForgeAccess(IEnumerable<IForgeCredentials> credentials)
{
    public IReadOnlyDictionary<string, string>? GitEnvironmentFor(string repository) =>
        credentials.Select(c => c.GitEnvironmentFor(repository)).FirstOrDefault(e => e is not null);
}

/// <summary>
/// Makes the repository a feature's agents work against: with staging on, a bare copy of the base branch served by
/// this service (<see cref="GitHttpBackend"/>); otherwise the target repository itself.
/// </summary>
public sealed partial class WorkRepositoryPreparer(
    ProcessRunner processes,
    ForgeAccess forge,
    IOptions<StagingOptions> options,
    ILogger<WorkRepositoryPreparer> logger) : IConsumer<PrepareWorkRepository>
{
    public Task Consume(ConsumeContext<PrepareWorkRepository> context) =>
        PrepareAsync(context.Message, message => context.Publish(message, message.GetType()), context.CancellationToken);

    public async Task PrepareAsync(PrepareWorkRepository message, Func<object, Task> publish, CancellationToken cancellationToken)
    {
        var staging = options.Value;
        if (!staging.Enabled)
        {
            await publish(new WorkRepositoryPrepared(message.FeatureId, message.Repository));
            return;
        }

        var path = staging.RepositoryPath(message.FeatureId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(Path.Combine(path, "HEAD")))
        {
            await new GitRepository(processes, Path.GetDirectoryName(path)!).RunAsync(cancellationToken, "init", "--bare", "--quiet", path);
        }

        // Redelivery refetches into the same repository: idempotent.
        var bare = new GitRepository(processes, path, forge.GitEnvironmentFor(message.Repository));
        var fetch = await bare.TryRunAsync(cancellationToken,
            "fetch", "--quiet", "--no-tags", message.Repository, $"+refs/heads/{message.BaseBranch}:refs/heads/{message.BaseBranch}");
        if (!fetch.Succeeded)
        {
            await publish(new WorkRepositoryFailed(message.FeatureId,
                $"the base branch '{message.BaseBranch}' of '{message.Repository}' could not be fetched: {fetch.Output.Trim()}"));
            return;
        }

        await bare.RunAsync(cancellationToken, "symbolic-ref", "HEAD", $"refs/heads/{message.BaseBranch}");
        var url = staging.RepositoryUrl(message.FeatureId);
        LogPrepared(logger, message.FeatureId, url);
        await publish(new WorkRepositoryPrepared(message.FeatureId, url));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: agents work against {Url}")]
    private static partial void LogPrepared(ILogger logger, Guid featureId, string url);
}

/// <summary>Answers whether a repository and branch can be read, with the forge credentials only this service holds.</summary>
public sealed class RepositoryChecker(ProcessRunner processes, ForgeAccess forge) : IConsumer<CheckRepository>
{
    public async Task Consume(ConsumeContext<CheckRepository> context)
    {
        var message = context.Message;
        var probe = await GitRemote.ProbeAsync(processes, message.Repository, message.BaseBranch,
            forge.GitEnvironmentFor(message.Repository), context.CancellationToken);
        await context.RespondAsync(new RepositoryChecked(probe.RepositoryReachable, probe.BranchExists, probe.Error));
    }
}

/// <summary>Deletes a feature's staging repository when the feature ends, whichever way.</summary>
public sealed class StagingCleanup(IOptions<StagingOptions> options) :
    IConsumer<FeatureCompleted>, IConsumer<FeatureFailed>, IConsumer<FeatureCancelled>
{
    public Task Consume(ConsumeContext<FeatureCompleted> context) => Delete(context.Message.FeatureId);

    public Task Consume(ConsumeContext<FeatureFailed> context) => Delete(context.Message.FeatureId);

    public Task Consume(ConsumeContext<FeatureCancelled> context) => Delete(context.Message.FeatureId);

    private Task Delete(Guid featureId)
    {
        var path = options.Value.RepositoryPath(featureId);
        if (options.Value.Enabled && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        return Task.CompletedTask;
    }
}
