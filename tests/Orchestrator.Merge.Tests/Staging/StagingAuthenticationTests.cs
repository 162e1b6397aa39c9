using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Orchestrator.Merge.Staging;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests.Staging;

/// <summary>
/// Who may do what in a staging repository: a task attempt's credential reads its own feature's repository and pushes
/// only its own task branch, until a later attempt of the task has shown up; the merge service's own credential reads.
/// </summary>
public sealed class StagingAuthenticationTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Guid _featureId = Guid.NewGuid();
    private StagingServer _server = null!;
    private TestRepository _origin = null!;
    private string _url = null!;
    private string _main = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await StagingServer.StartAsync(_temp, _runner);
        _origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);
        _url = await _server.PreparedAsync(_featureId, _origin.Path);
        _main = await _server.Staged(_featureId).ResolveAsync("refs/heads/main", _ct);
    }

    private string Branch(string taskId) => $"orchestrator/tasks/{_featureId:N}/{taskId}";

    [Fact]
    public async Task Without_a_credential_nothing_is_served_401()
    {
        var refused = await GetRefsAsync(_url, credential: null);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer", Assert.Single(refused.Headers.WwwAuthenticate).Scheme);
        await Assert.ThrowsAsync<GitCommandException>(() => _server.CloneAsync(_url, credential: null, _temp.Combine("anonymous")));
        Assert.False(Directory.Exists(Path.Combine(_temp.Combine("anonymous"), ".git")));
    }

    [Fact]
    public async Task A_forged_credential_or_one_made_under_another_key_is_refused_401()
    {
        // Attempt 1's MAC with attempt 2's claims.
        var parts = _server.Credential(_featureId, "implement", attempt: 1).Split('.');
        var forged = string.Join('.', parts[0], "2", parts[2], parts[3]);
        var foreign = StagingCredentials.ForTask(StagingCredentials.NewKey(), _featureId, "implement", 1);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetRefsAsync(_url, forged)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetRefsAsync(_url, foreign)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetRefsAsync(_url, "not-a-credential")).StatusCode);
        await Assert.ThrowsAsync<GitCommandException>(() => _server.CloneAsync(_url, forged, _temp.Combine("forged")));
    }

    [Fact]
    public async Task Another_features_credential_is_refused_403()
    {
        var otherFeature = Guid.NewGuid();
        await _server.PreparedAsync(otherFeature, _origin.Path);
        var othersCredential = _server.Credential(otherFeature, "implement");

        Assert.Equal(HttpStatusCode.Forbidden, (await GetRefsAsync(_url, othersCredential)).StatusCode);
        await Assert.ThrowsAsync<GitCommandException>(() => _server.CloneAsync(_url, othersCredential, _temp.Combine("other")));
    }

    [Fact]
    public async Task A_push_to_another_tasks_branch_or_to_main_is_refused_and_the_refs_stay_as_they_were()
    {
        var clone = await _server.CloneAsync(_url, _server.Credential(_featureId, "implement"), _temp.Combine("agent"));
        var staged = _server.Staged(_featureId);

        await CommitAsync(clone, "main", "main.txt");
        var toMain = await Assert.ThrowsAsync<GitCommandException>(() => clone.PushAsync("main", force: true, _ct));
        await CommitAsync(clone, Branch("document"), "docs.txt");
        var toOtherTask = await Assert.ThrowsAsync<GitCommandException>(() => clone.PushAsync(Branch("document"), force: true, _ct));

        Assert.Contains("403", toMain.Message, StringComparison.Ordinal);
        Assert.Contains("403", toOtherTask.Message, StringComparison.Ordinal);
        Assert.Equal(_main, await staged.ResolveAsync("refs/heads/main", _ct));
        Assert.Null(await staged.TryResolveAsync($"refs/heads/{Branch("document")}", _ct));

        var own = await CommitAsync(clone, Branch("implement"), "code.txt");
        await clone.PushAsync(Branch("implement"), force: true, _ct);
        Assert.Equal(own, await staged.ResolveAsync($"refs/heads/{Branch("implement")}", _ct));
    }

    [Fact]
    public async Task A_superseded_attempt_can_no_longer_push_once_the_next_attempt_used_the_repository()
    {
        var staged = _server.Staged(_featureId);
        var first = await _server.CloneAsync(_url, _server.Credential(_featureId, "implement", attempt: 1), _temp.Combine("attempt-1"));
        await CommitAsync(first, Branch("implement"), "first.txt");

        var second = await _server.CloneAsync(_url, _server.Credential(_featureId, "implement", attempt: 2), _temp.Combine("attempt-2"));
        var current = await CommitAsync(second, Branch("implement"), "second.txt");
        await second.PushAsync(Branch("implement"), force: true, _ct);
        var late = await Assert.ThrowsAsync<GitCommandException>(() => first.PushAsync(Branch("implement"), force: true, _ct));

        Assert.Contains("403", late.Message, StringComparison.Ordinal);
        Assert.Equal(current, await staged.ResolveAsync($"refs/heads/{Branch("implement")}", _ct));
        Assert.Equal(HttpStatusCode.Forbidden, (await GetRefsAsync(_url, _server.Credential(_featureId, "implement", attempt: 1))).StatusCode);
    }

    [Fact]
    public async Task A_task_pushes_and_deletes_its_own_runner_snapshot_refs_and_no_other_tasks()
    {
        var credential = _server.Credential(_featureId, "implement");
        var clone = await _server.CloneAsync(_url, credential, _temp.Combine("runner"));
        var staged = _server.Staged(_featureId);
        File.WriteAllText(Path.Combine(clone.WorkingDirectory, "edit.txt"), "not committed\n");
        var snapshot = await clone.SnapshotWorkingTreeAsync("snapshot", _ct);
        var own = $"refs/orchestrator/runs/tasks/implement/{Guid.NewGuid():N}";
        var othersRun = $"refs/orchestrator/runs/tasks/document/{Guid.NewGuid():N}";

        await clone.PushToRefAsync(_url, snapshot, own, _ct);
        var pushed = await staged.TryResolveAsync(own, _ct);
        var toOthers = await Assert.ThrowsAsync<GitCommandException>(() => clone.PushToRefAsync(_url, snapshot, othersRun, _ct));
        var notARunName = await Assert.ThrowsAsync<GitCommandException>(
            () => clone.PushToRefAsync(_url, snapshot, "refs/orchestrator/runs/tasks/implement/x", _ct));
        await clone.DeleteRemoteRefAsync(_url, own, _ct);
        // A task named like the merge service's namespace still gets only refs/orchestrator/runs/tasks/merge/.
        var named = await _server.CloneAsync(_url, _server.Credential(_featureId, "merge"), _temp.Combine("named-merge"));
        var mergesRun = $"{StagingRunnerWorkspaces.RunRefPrefix}{Guid.NewGuid():N}";
        var namedSnapshot = await named.SnapshotWorkingTreeAsync("snapshot", _ct);
        var toMerges = await Assert.ThrowsAsync<GitCommandException>(() => named.PushToRefAsync(_url, namedSnapshot, mergesRun, _ct));

        Assert.Equal(snapshot, pushed);
        Assert.Contains("403", toMerges.Message, StringComparison.Ordinal);
        Assert.Contains("403", toOthers.Message, StringComparison.Ordinal);
        Assert.Contains("403", notARunName.Message, StringComparison.Ordinal);
        Assert.Null(await staged.TryResolveAsync(othersRun, _ct));
        Assert.Null(await staged.TryResolveAsync(own, _ct));
    }

    [Fact]
    public async Task The_merge_services_own_credential_reads_the_repository_and_cannot_push()
    {
        var reader = new StagingReaderCredentials(_server.Keys, Options.Create(_server.Options)).GitEnvironmentFor(_url);
        var readerCredential = StagingCredentials.ForReader(_server.Keys.Find(_featureId)!, _featureId);

        var probe = await GitRemote.ProbeAsync(_runner, _url, "main", reader, _ct);

        Assert.True(probe.BranchExists, probe.Error);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetRefsAsync(_url, readerCredential, "git-receive-pack")).StatusCode);
        Assert.Null(new StagingReaderCredentials(_server.Keys, Options.Create(_server.Options)).GitEnvironmentFor(_origin.Path));
    }

    private async Task<string> CommitAsync(GitRepository clone, string branch, string file)
    {
        await clone.CreateBranchAsync(branch, _ct);
        File.WriteAllText(Path.Combine(clone.WorkingDirectory, file), $"{file}\n");
        return (await clone.CommitAllAsync($"Add {file}", _ct))!;
    }

    private async Task<HttpResponseMessage> GetRefsAsync(string url, string? credential, string service = "git-upload-pack")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}/info/refs?service={service}");
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        return await http.SendAsync(request, _ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }
}
