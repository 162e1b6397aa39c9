namespace Orchestrator.Workspaces.Tests;

/// <summary>Restore then command: two runs for a runner that keeps the workspace, one for a runner that starts from nothing.</summary>
public sealed class RepositoryCommandStepsTests
{
    private static readonly RepositoryCommand Restore = new("dotnet", ["restore"]);
    private static readonly RepositoryCommand Build = new("dotnet", ["build"]);
    private static readonly RemoteWorkspace Remote = new("http://merge:8080/git/f.git", new Dictionary<string, string>(), "refs/orchestrator/runs/tasks/t/");
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_local_runner_gets_the_restore_with_the_network_then_the_command_offline()
    {
        var runner = new RecordingRunner(restoresInTheSameRun: false);

        await runner.RunAfterRestoreAsync("/w", new RepositoryCommands(Build, null) { Restore = Restore }, Build, new(), Remote, _ct);

        Assert.Collection(runner.Requests,
            restore => Assert.True(restore.Command == Restore && restore.AllowNetwork && restore.RestoreFirst is null && restore.Remote == Remote),
            build => Assert.True(build.Command == Build && !build.AllowNetwork && build.RestoreFirst is null && build.Remote == Remote));
    }

    [Fact]
    public async Task A_runner_that_starts_from_nothing_gets_one_request_with_the_restore_first()
    {
        var runner = new RecordingRunner(restoresInTheSameRun: true);

        await runner.RunAfterRestoreAsync("/w", new RepositoryCommands(Build, null) { Restore = Restore }, Build, new(), Remote, _ct);
        await runner.RunAfterRestoreAsync("/w", new RepositoryCommands(Build, null), Build, new(), Remote, _ct);

        Assert.Collection(runner.Requests,
            withRestore => Assert.True(withRestore.Command == Build && withRestore.RestoreFirst == Restore && withRestore.AllowNetwork && withRestore.Remote == Remote),
            withoutRestore => Assert.True(withoutRestore.RestoreFirst is null && !withoutRestore.AllowNetwork));
    }

    [Fact]
    public void A_remote_workspace_never_prints_its_credential()
    {
        var remote = Remote with { GitEnvironment = new Dictionary<string, string> { ["GIT_CONFIG_VALUE_0"] = "Authorization: Bearer s3cr3t" } };

        Assert.DoesNotContain("s3cr3t", remote.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", new RepositoryCommandRequest("/w", Build) { Remote = remote }.ToString(), StringComparison.Ordinal);
    }

    private sealed class RecordingRunner(bool restoresInTheSameRun) : IRepositoryCommandRunner
    {
        public List<RepositoryCommandRequest> Requests { get; } = [];

        public bool RestoresInTheSameRun => restoresInTheSameRun;

        public Task<RepositoryCommandResult> RunAsync(RepositoryCommandRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new RepositoryCommandResult(0, string.Empty, false, TimeSpan.Zero));
        }
    }
}
