using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Bench.Orchestration;

/// <summary>
/// The git half of an agent task, done for real in the git-included mode: a fresh clone of the feature's staging
/// repository with the task's credential, the task branch, one small file, one commit, a force-push — what the real
/// agent does around its model loop (AgentTaskRunner), so consolidation has real branches to merge. Dependency
/// branches are not merged in: each task writes its own file, so the merge service's fan-in still sees no conflict.
/// </summary>
internal sealed class SimulatedGitWork(string workRoot)
{
    private static readonly ProcessRunner Processes = new(NullLogger<ProcessRunner>.Instance);

    public static string FileOf(TaskAssignment task) => $"bench/{task.TaskId}.txt";

    public async Task<string> PushChangeAsync(TaskAssignment task, CancellationToken cancellationToken)
    {
        var workspace = Path.Combine(workRoot, task.FeatureId.ToString("N"), $"{task.TaskId}-{task.Attempt}-{Guid.NewGuid():N}");
        try
        {
            var credential = StagingCredentials.GitEnvironment(task.Repository, task.StagingCredential);
            var git = await GitRepository.CloneAsync(Processes, task.Repository, task.BaseBranch, workspace, credential, cancellationToken);
            await git.ConfigureIdentityAsync("Bench Agent", "bench@orchestrator.invalid", cancellationToken);
            await git.CreateBranchAsync(task.Branch, cancellationToken);
            var file = Path.Combine(workspace, FileOf(task));
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, $"{task.Title}\n", cancellationToken);
            var commit = await git.CommitAllAsync($"{task.Title}\n\nSimulated by the orchestration benchmark.", cancellationToken)
                ?? throw new InvalidOperationException("the simulated change produced nothing to commit");
            await git.PushAsync(task.Branch, force: true, cancellationToken);
            return commit;
        }
        finally
        {
            if (Directory.Exists(workspace))
            {
                Directory.Delete(workspace, recursive: true);
            }
        }
    }

    /// <summary>
    /// A small target repository: a README and an <c>.orchestrator.json</c> whose test command is <c>true</c>, so
    /// consolidation verifies quickly; returns the bare repository's path (a local forge, as in the demo).
    /// </summary>
    public static async Task<string> CreateTargetRepositoryAsync(string folder, CancellationToken cancellationToken)
    {
        var seed = Path.Combine(folder, "seed");
        var bare = Path.Combine(folder, "bench-target.git");
        var git = await GitRepository.InitAsync(Processes, seed, "main", cancellationToken);
        await git.ConfigureIdentityAsync("Bench", "bench@orchestrator.invalid", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(seed, "README.md"), "# Benchmark target\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(seed, ".orchestrator.json"), "{\"test\": [\"true\"]}\n", cancellationToken);
        await git.CommitAllAsync("A small repository for the orchestration benchmark", cancellationToken);
        await GitRepository.InitBareAsync(Processes, bare, "main", cancellationToken);
        await git.AddRemoteAsync("origin", bare, cancellationToken);
        await git.PushAsync("main", force: false, cancellationToken);
        return bare;
    }
}
