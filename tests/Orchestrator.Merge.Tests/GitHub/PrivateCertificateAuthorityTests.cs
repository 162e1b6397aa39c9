using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Forges.GitHub;
using Orchestrator.Testing.GitHub;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests.GitHub;

/// <summary>
/// The GitHub Enterprise-shaped stand-in on <c>https://localhost:&lt;port&gt;</c> behind a private certificate authority
/// that only <c>Forge:GitHub:CaFile</c> names: git (probe, clone, push) and the API client (Octokit) both trust it
/// through that setting, the clone host carries its port, and neither trusts it without the setting.
/// </summary>
public sealed class PrivateCertificateAuthorityTests : IAsyncLifetime
{
    private const string Owner = "octocat";

    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly string _token = "ghp_" + Guid.NewGuid().ToString("N");
    private GitHubEnterpriseStandIn _forge = null!;
    private string _origin = null!;
    private string _repository = null!;

    public async ValueTask InitializeAsync()
    {
        _forge = await GitHubEnterpriseStandIn.StartAsync(_temp.CreateDirectory("forge"), _token, _ct);
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);
        _origin = origin.Path;
        _repository = _forge.AddRepository(Owner, "Hello-World", _origin);
    }

    public async ValueTask DisposeAsync()
    {
        await _forge.DisposeAsync();
        _temp.Dispose();
    }

    private GitHubOptions Options(bool withCaFile) => new()
    {
        Token = _token,
        ApiUrl = _forge.ApiUrl.AbsoluteUri,
        CloneHosts = [_forge.CloneHost],
        CaFile = withCaFile ? _forge.CaFile : null,
    };

    private GitHubPublisher Publisher(bool withCaFile) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(withCaFile)), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<GitHubPublisher>.Instance);

    [Fact]
    public async Task Git_trusts_the_server_through_the_ca_file_for_that_host_only()
    {
        var trusted = await GitRemote.ProbeAsync(_runner, _repository, "main", Publisher(withCaFile: true).GitEnvironmentFor(_repository), _ct);
        var untrusted = await GitRemote.ProbeAsync(_runner, _repository, "main", Publisher(withCaFile: false).GitEnvironmentFor(_repository), _ct);

        Assert.True(trusted.RepositoryReachable && trusted.BranchExists, trusted.Error);
        Assert.False(untrusted.RepositoryReachable);
        Assert.Contains("certificate", untrusted.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_api_client_trusts_the_server_through_the_ca_file_and_sees_the_push_permission()
    {
        var trusted = await Publisher(withCaFile: true).CheckWriteAccessAsync(_repository, _ct);
        var untrusted = await Publisher(withCaFile: false).CheckWriteAccessAsync(_repository, _ct);

        Assert.Null(trusted);
        Assert.NotNull(untrusted);
        Assert.StartsWith($"could not reach GitHub at {_forge.ApiUrl}", untrusted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_that_may_only_read_is_refused_before_any_work()
    {
        var readOnly = _forge.AddRepository(Owner, "read-only", _origin, canPush: false);

        var reason = await Publisher(withCaFile: true).CheckWriteAccessAsync(readOnly, _ct);

        Assert.StartsWith($"the token can read {Owner}/read-only but may not push to it", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_branch_pushed_with_the_forge_environment_gets_one_pull_request_however_often_it_is_published()
    {
        var publisher = Publisher(withCaFile: true);
        var clone = await GitRepository.CloneAsync(_runner, _repository, "main", _temp.Combine("clone"), publisher.GitEnvironmentFor(_repository), _ct);
        await clone.ConfigureIdentityAsync("Orchestrator", "orchestrator@example.invalid", _ct);
        await clone.CreateBranchAsync("orchestrator/feature", _ct);
        await File.WriteAllTextAsync(Path.Combine(_temp.Combine("clone"), "NOTES.md"), "pushed over https\n", _ct);
        await clone.CommitAllAsync("Add notes", _ct);
        await clone.PushAsync("orchestrator/feature", force: false, _ct);
        var draft = new PullRequestDraft(Guid.NewGuid(), _repository, "orchestrator/feature", "main", "Add notes", "The body");

        var opened = await publisher.OpenOrUpdateAsync(draft, _ct);
        var again = await publisher.OpenOrUpdateAsync(draft with { Body = "The body, again" }, _ct);

        var pull = Assert.Single(_forge.PullRequests.All);
        Assert.Equal((1, 1), (opened.Number, again.Number));
        Assert.Equal(("orchestrator/feature", "main", "The body, again", 1), (pull.Head, pull.Base, pull.Body, pull.Updates));
        Assert.Equal("pushed over https", _forge.FileOnBranch(Owner, "Hello-World", "orchestrator/feature", "NOTES.md"));
        Assert.All(_forge.Requests, request => Assert.True(request.Headers.ContainsKey("Authorization"), $"{request} without the token"));
        Assert.DoesNotContain(_forge.Requests, request => request.Headers.ContainsKey("traceparent") || request.Headers.ContainsKey("baggage"));
    }

    [Fact]
    public void A_clone_host_with_a_port_matches_only_that_port()
    {
        var publisher = Publisher(withCaFile: true);
        var port = _forge.BaseAddress.Port;

        Assert.True(publisher.CanPublishTo(_repository));
        Assert.False(publisher.CanPublishTo($"https://localhost/{Owner}/Hello-World.git"));
        Assert.False(publisher.CanPublishTo($"https://localhost:{port + 1}/{Owner}/Hello-World.git"));
    }
}
