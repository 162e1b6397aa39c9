using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Messaging;

namespace Orchestrator.Workspaces.Kubernetes.Tests;

/// <summary>
/// A run whose workspace travels as an agent's does: pushed over HTTP to the real staging git endpoint with the task
/// attempt's credential, cloned by the Job's init container script with the Secret's variables, the ref gone afterwards.
/// </summary>
public sealed class StagingTransportTests : IAsyncLifetime
{
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _processes = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Guid _featureId = Guid.NewGuid();
    private StagingServer _staging = null!;
    private KubernetesStandIn _api = null!;
    private string _url = null!;

    public async ValueTask InitializeAsync()
    {
        _staging = await StagingServer.StartAsync(_temp, _processes);
        _api = await KubernetesStandIn.StartAsync();
        var origin = await TestRepository.CreateAsync(_temp, _processes, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);
        _url = await _staging.PreparedAsync(_featureId, origin.Path);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _staging.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_task_attempts_workspace_reaches_the_Job_through_the_staging_server_and_its_ref_is_deleted_there()
    {
        var credential = _staging.Credential(_featureId, "implement");
        var workspace = await _staging.CloneAsync(_url, credential, _temp.Combine("agent"));
        File.WriteAllText(Path.Combine(workspace.WorkingDirectory, "Calculator.cs"), "// the agent's edit\n");
        _api.Script = cloned => PodScript.Succeeds(File.ReadAllText(Path.Combine(cloned, "Calculator.cs")));

        var result = await Runner().RunAsync(Request(workspace.WorkingDirectory, credential), _ct).WaitAsync(NoHang, _ct);

        Assert.True(result.Succeeded, result.Output);
        Assert.Equal("// the agent's edit\n", result.Output);
        Assert.Contains(credential, Assert.Single(_api.CreatedSecrets).StringData["GIT_CONFIG_VALUE_0"], StringComparison.Ordinal);
        Assert.DoesNotContain(credential, Assert.Single(_api.CreatedJobsJson), StringComparison.Ordinal);
        Assert.Equal(string.Empty, await _staging.Staged(_featureId).RunAsync(_ct, "for-each-ref", "refs/orchestrator/"));
    }

    [Fact]
    public async Task A_superseded_attempt_cannot_send_its_workspace_and_no_Job_is_created()
    {
        var stale = _staging.Credential(_featureId, "implement", attempt: 1);
        var workspace = await _staging.CloneAsync(_url, stale, _temp.Combine("attempt-1"));
        await _staging.CloneAsync(_url, _staging.Credential(_featureId, "implement", attempt: 2), _temp.Combine("attempt-2"));

        var refused = await Assert.ThrowsAsync<SandboxUnavailableException>(
            () => Runner().RunAsync(Request(workspace.WorkingDirectory, stale), _ct).WaitAsync(NoHang, _ct));

        Assert.Contains("the workspace could not be sent to its staging repository", refused.Message, StringComparison.Ordinal);
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(stale, refused.Message, StringComparison.Ordinal);
        Assert.Empty(_api.CreatedJobsJson);
    }

    // As AgentTaskRunner builds it from the task: the staging URL, git's credential variables, the grant's ref prefix.
    private RepositoryCommandRequest Request(string workspace, string credential) =>
        new(workspace, new RepositoryCommand("dotnet", ["test"]))
        {
            Remote = new RemoteWorkspace(_url, StagingCredentials.GitEnvironment(_url, credential)!, StagingCredentials.Read(credential)!.RunRefPrefix!),
        };

    private KubernetesJobCommandRunner Runner()
    {
        var options = Options.Create(new KubernetesJobRunnerOptions { Namespace = "orchestrator", Image = "runner", Role = "coder", ApiUrl = _api.Url });
        return new KubernetesJobCommandRunner(new KubernetesApi(options), _processes, options, TimeProvider.System,
            new Logger<KubernetesJobCommandRunner>(new LoggerFactory()));
    }
}
