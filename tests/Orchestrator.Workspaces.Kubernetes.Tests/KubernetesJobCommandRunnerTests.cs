using System.Text.Json.Nodes;

namespace Orchestrator.Workspaces.Kubernetes.Tests;

/// <summary>The runner against the API stand-in: what it creates, what comes back, and what it leaves behind (nothing).</summary>
public sealed class KubernetesJobCommandRunnerTests : IAsyncLifetime
{
    // Every run ends on its own (the stand-in answers at once; the timeout tests allow 4 s, room for the snapshot push on
    // a loaded machine): a run still going after this hangs.
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(60);

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private RunnerFixture _world = null!;

    public async ValueTask InitializeAsync() => _world = await RunnerFixture.CreateAsync();

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_succeeding_Job_brings_back_its_log_and_exit_code_0_and_leaves_no_Job_Secret_or_ref()
    {
        var workspaceHead = await new GitRepository(_world.Processes, _world.Workspace).HeadAsync(_ct);
        _world.Api.Script = cloned => PodScript.Succeeds(
            $"Passed! README says: {File.ReadAllText(Path.Combine(cloned, "README.md"))}new file: {File.Exists(Path.Combine(cloned, "New.cs"))}\n");

        var result = await _world.Runner().RunAsync(_world.Request("dotnet", "test"), _ct).WaitAsync(NoHang, _ct);

        Assert.True(result.Succeeded, result.Output);
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.Sandboxed);
        Assert.Contains("README says: edited, not committed", result.Output, StringComparison.Ordinal);
        Assert.Contains("new file: True", result.Output, StringComparison.Ordinal);
        var job = Assert.Single(_world.Api.DeletedJobs);
        Assert.Equal("Background", job.Propagation);
        Assert.Equal(Assert.Single(_world.Api.CreatedSecrets).Metadata.Name, Assert.Single(_world.Api.DeletedSecrets));
        Assert.Equal(string.Empty, await _world.RunRefsAsync());
        // The workspace itself is as it was: HEAD unmoved, the edits still uncommitted.
        Assert.Equal(workspaceHead, await new GitRepository(_world.Processes, _world.Workspace).HeadAsync(_ct));
        Assert.Contains("README.md", await new GitRepository(_world.Processes, _world.Workspace).ChangedFilesAsync(_ct));
    }

    [Fact]
    public async Task The_Job_has_the_configured_limits_labels_deadline_and_TTL_runs_non_root_without_a_token_and_only_the_Secret_holds_the_credential()
    {
        var request = _world.Request() with { Limits = new RepositoryCommandLimits { Timeout = TimeSpan.FromMinutes(7) } };

        await _world.Runner().RunAsync(request, _ct).WaitAsync(NoHang, _ct);

        var json = Assert.Single(_world.Api.CreatedJobsJson);
        var job = JsonNode.Parse(json)!;
        var pod = job["spec"]!["template"]!["spec"]!;
        var command = pod["containers"]!.AsArray().Single()!;
        Assert.Equal(420, (int)job["spec"]!["activeDeadlineSeconds"]!); // the request's 7 minutes beat the configured 900 s
        Assert.Equal(120, (int)job["spec"]!["ttlSecondsAfterFinished"]!);
        Assert.Equal(0, (int)job["spec"]!["backoffLimit"]!);
        foreach (var labels in new[] { job["metadata"]!["labels"]!, job["spec"]!["template"]!["metadata"]!["labels"]! })
        {
            Assert.Equal("orchestrator", (string)labels["app.kubernetes.io/part-of"]!);
            Assert.Equal("runner", (string)labels["app.kubernetes.io/component"]!);
            Assert.Equal("coder", (string)labels["orchestrator.dev/role"]!);
            Assert.Equal("none", (string)labels["orchestrator.dev/network"]!);
        }

        Assert.Equal("orchestrator-runner", (string)pod["serviceAccountName"]!);
        Assert.False((bool)pod["automountServiceAccountToken"]!);
        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.Equal("Never", (string)pod["restartPolicy"]!);
        Assert.Equal(["dotnet"], command["command"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["test"], command["args"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("250m", (string)command["resources"]!["requests"]!["cpu"]!);
        Assert.Equal("512Mi", (string)command["resources"]!["requests"]!["memory"]!);
        Assert.Equal("1500m", (string)command["resources"]!["limits"]!["cpu"]!);
        Assert.Equal("3Gi", (string)command["resources"]!["limits"]!["memory"]!);
        // The emptyDirs are bounded: a command that writes more is evicted, the node's disk is not filled.
        Assert.Equal(["workspace:4Gi", "home:2Gi", "tmp:2Gi"],
            pod["volumes"]!.AsArray().Select(v => $"{v!["name"]}:{v["emptyDir"]!["sizeLimit"]}"));
        foreach (var container in pod["containers"]!.AsArray().Concat(pod["initContainers"]!.AsArray()))
        {
            Assert.False((bool)container!["securityContext"]!["allowPrivilegeEscalation"]!);
            Assert.Equal(["ALL"], container["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(n => (string)n!));
            Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!);
        }

        // Only the clone gets the Secret; the command's container has no envFrom and no secret reference at all.
        Assert.Null(command["envFrom"]);
        Assert.DoesNotContain("secretKeyRef", command.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("canary-staging-credential", json, StringComparison.Ordinal);
        var secret = Assert.Single(_world.Api.CreatedSecrets);
        Assert.Equal(RunnerFixture.Credential, secret.StringData["GIT_CONFIG_VALUE_0"]);
        Assert.Equal("Job", Assert.Single(secret.Metadata.OwnerReferences).Kind);
        Assert.Equal((string)job["metadata"]!["name"]!, secret.Metadata.OwnerReferences[0].Name);
        Assert.DoesNotContain("canary-staging-credential", _world.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snapshot_ref_moved_by_someone_else_before_the_clone_fails_the_run_instead_of_running_other_code()
    {
        var ran = false;
        _world.Api.Script = _ =>
        {
            ran = true;
            return PodScript.Succeeds("ran");
        };
        _world.Api.BeforeClone = async (repository, reference) =>
        {
            var staging = new GitRepository(_world.Processes, repository);
            await staging.RunAsync(_ct, "update-ref", reference, "refs/heads/main");
        };

        var result = await _world.Runner().RunAsync(_world.Request(), _ct).WaitAsync(NoHang, _ct);

        Assert.False(ran);
        Assert.False(result.Succeeded);
        Assert.Contains("[the runner could not fetch the workspace (exit code 1, Error); the command did not run]", result.Output, StringComparison.Ordinal);
        Assert.Single(_world.Api.DeletedJobs);
        Assert.Equal(string.Empty, await _world.RunRefsAsync());
    }

    [Fact]
    public async Task A_watch_error_event_is_acted_on_at_once_by_watching_again_and_the_run_still_ends_with_its_exit_code()
    {
        _world.Api.ExpireFirstWatch = true;
        _world.Api.Script = _ => PodScript.Succeeds("done\n");

        var result = await _world.Runner().RunAsync(_world.Request(), _ct).WaitAsync(NoHang, _ct);

        Assert.True(result.Succeeded, result.Output);
        Assert.Equal(2, _world.Api.Watches);
    }

    [Fact]
    public async Task A_failing_Job_reports_its_exit_code_and_keeps_the_head_and_tail_of_a_long_log()
    {
        _world.Api.Script = _ => new PodScript
        {
            CommandLog = "build started\n" + new string('x', 5_000) + "\nerror CS1002: ; expected\n",
            CommandExitCode = 3,
        };
        var request = _world.Request("dotnet", "build") with
        {
            Limits = new RepositoryCommandLimits { Timeout = TimeSpan.FromMinutes(5), MaxOutputChars = 400 },
        };

        var result = await _world.Runner().RunAsync(request, _ct).WaitAsync(NoHang, _ct);

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.ExitCode);
        Assert.False(result.TimedOut);
        Assert.StartsWith("build started", result.Output, StringComparison.Ordinal);
        Assert.Contains("characters truncated", result.Output, StringComparison.Ordinal);
        Assert.Contains("error CS1002: ; expected", result.Output, StringComparison.Ordinal);
        Assert.True(result.Output.Length < 600, $"{result.Output.Length} characters kept");
        Assert.Single(_world.Api.DeletedJobs);
        Assert.Equal(string.Empty, await _world.RunRefsAsync());
    }

    [Fact]
    public async Task An_evicted_pod_gives_a_result_that_says_so_and_the_Job_is_deleted()
    {
        _world.Api.Script = _ => new PodScript
        {
            CommandLog = "Running tests...\n",
            CommandExitCode = null,
            PodReason = "Evicted",
            PodMessage = "The node was low on resource: memory.",
        };

        var result = await _world.Runner().RunAsync(_world.Request(), _ct).WaitAsync(NoHang, _ct);

        Assert.False(result.Succeeded);
        Assert.True(result.Killed);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Running tests...", result.Output, StringComparison.Ordinal);
        Assert.Contains("evicted", result.Output, StringComparison.Ordinal);
        Assert.Contains("The node was low on resource: memory.", result.Output, StringComparison.Ordinal);
        Assert.Single(_world.Api.DeletedJobs);
        Assert.Single(_world.Api.DeletedSecrets);
    }

    [Fact]
    public async Task A_failed_restore_step_in_the_same_pod_is_the_result_and_the_command_did_not_run()
    {
        _world.Api.Script = _ => new PodScript { RestoreLog = "error NU1101: Unable to find package Nope\n", RestoreExitCode = 1 };
        var request = _world.Request("dotnet", "build") with { RestoreFirst = new RepositoryCommand("dotnet", ["restore"]), AllowNetwork = true };

        var result = await _world.Runner().RunAsync(request, _ct).WaitAsync(NoHang, _ct);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("[the restore step `dotnet restore` failed with exit code 1; `dotnet build` did not run]", result.Output, StringComparison.Ordinal);
        Assert.Contains("NU1101", result.Output, StringComparison.Ordinal);
        var job = JsonNode.Parse(Assert.Single(_world.Api.CreatedJobsJson))!;
        var pod = job["spec"]!["template"]!;
        // Each step gets the request's 5 minutes, as with a local runner: 600 s, under the configured 900.
        Assert.Equal(600, (int)job["spec"]!["activeDeadlineSeconds"]!);
        Assert.Equal(["workspace", "restore"], pod["spec"]!["initContainers"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal("package-feed", (string)pod["metadata"]!["labels"]!["orchestrator.dev/network"]!);
    }

    [Fact]
    public async Task A_run_past_its_timeout_is_reported_timed_out_and_its_Job_Secret_and_ref_are_deleted()
    {
        _world.Api.Script = _ => new PodScript { CommandLog = "still testing\n", CommandExitCode = null, NeverFinishes = true };
        var request = _world.Request() with { Limits = new RepositoryCommandLimits { Timeout = TimeSpan.FromSeconds(4) } };

        var result = await _world.Runner().RunAsync(request, _ct).WaitAsync(NoHang, _ct);

        Assert.True(result.TimedOut);
        Assert.True(result.Killed);
        Assert.False(result.Succeeded);
        Assert.Contains("timed out", result.Output, StringComparison.Ordinal);
        Assert.Equal("Background", Assert.Single(_world.Api.DeletedJobs).Propagation);
        Assert.Single(_world.Api.DeletedSecrets);
        Assert.Equal(string.Empty, await _world.RunRefsAsync());
    }

    [Fact]
    public async Task A_run_that_times_out_waiting_for_its_image_says_why_it_never_started()
    {
        _world.Api.Script = _ => new PodScript { CommandExitCode = null, CommandWaitingReason = "ImagePullBackOff", NeverFinishes = true };
        var request = _world.Request() with { Limits = new RepositoryCommandLimits { Timeout = TimeSpan.FromSeconds(4) } };

        var result = await _world.Runner().RunAsync(request, _ct).WaitAsync(NoHang, _ct);

        Assert.True(result.TimedOut);
        Assert.Contains("[the runner pod never got going: command: ImagePullBackOff: Back-off pulling image]", result.Output, StringComparison.Ordinal);
        Assert.Single(_world.Api.DeletedJobs);
    }

    [Fact]
    public async Task An_API_that_goes_down_while_the_Job_runs_is_a_clear_refusal_and_the_ref_still_goes()
    {
        _world.Api.FailAfterSecretWith = 503;

        var refused = await Assert.ThrowsAsync<SandboxUnavailableException>(() => _world.Runner().RunAsync(_world.Request(), _ct).WaitAsync(NoHang, _ct));

        Assert.Contains("the Kubernetes API answered 503", refused.Message, StringComparison.Ordinal);
        Assert.Single(_world.Api.CreatedJobsJson);
        // The Job could not be deleted either: the log says so, and its TTL takes it.
        Assert.Contains("Could not delete the Job", _world.Logs.Text, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await _world.RunRefsAsync());
    }

    [Fact]
    public async Task A_cancelled_run_throws_and_still_deletes_its_Job_Secret_and_ref()
    {
        _world.Api.Script = _ => new PodScript { CommandExitCode = null, NeverFinishes = true };
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_ct);

        var run = _world.Runner().RunAsync(_world.Request(), cancel.Token).WaitAsync(NoHang, _ct);
        await _world.Api.Watching.Task.WaitAsync(_ct);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Single(_world.Api.DeletedJobs);
        Assert.Single(_world.Api.DeletedSecrets);
        Assert.Equal(string.Empty, await _world.RunRefsAsync());
    }

    [Fact]
    public async Task An_API_that_refuses_connections_is_a_clear_refusal_and_leaves_no_ref()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        _world.Options.ApiUrl = $"http://127.0.0.1:{port}";

        var refused = await Assert.ThrowsAsync<SandboxUnavailableException>(() => _world.Runner().RunAsync(_world.Request(), _ct).WaitAsync(NoHang, _ct));

        Assert.Contains("Kubernetes API cannot be reached", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was run", refused.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await _world.RunRefsAsync());
    }

    [Fact]
    public async Task An_API_answering_503_is_a_clear_refusal()
    {
        _world.Api.FailEverythingWith = 503;

        var refused = await Assert.ThrowsAsync<SandboxUnavailableException>(() => _world.Runner().RunAsync(_world.Request(), _ct).WaitAsync(NoHang, _ct));

        Assert.Contains("503", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_world.Api.CreatedJobsJson);
        Assert.Equal(string.Empty, await _world.RunRefsAsync());
    }

    [Fact]
    public async Task A_workspace_without_a_staging_repository_is_refused_before_anything_is_created()
    {
        var refused = await Assert.ThrowsAsync<SandboxUnavailableException>(
            () => _world.Runner().RunAsync(_world.Request() with { Remote = null }, _ct).WaitAsync(NoHang, _ct));

        Assert.Contains("staging repository", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_world.Api.CreatedJobsJson);
    }
}
