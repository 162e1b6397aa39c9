using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Merge.Forges.GitHub;
using Orchestrator.Merge.Staging;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests.GitHub;

/// <summary>
/// A GitHub Enterprise-shaped server on <c>https://localhost:&lt;port&gt;</c> behind a private certificate authority that
/// only <c>Forge:GitHub:CaFile</c> names: git (clone, ls-remote) and the API client both trust it through that setting,
/// the clone host carries its port, and neither trusts it without the setting.
/// </summary>
public sealed class PrivateCertificateAuthorityTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private PrivateCertificateAuthority _ca = null!;
    private WebApplication _server = null!;
    private int _port;
    private string? _stagingCredential;

    private string Root => $"https://localhost:{_port}/";

    public async ValueTask InitializeAsync()
    {
        _ca = PrivateCertificateAuthority.Create(_temp.Path);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(_ca.Server);
        }));
        builder.Logging.ClearProviders();
        builder.Services.AddGitStaging();
        builder.Services.Configure<StagingOptions>(o => o.Root = _temp.CreateDirectory("repositories"));
        builder.Services.AddWorkspaces();
        _server = builder.Build();

        // The staging endpoint stands in for the forge's git server; this test is about trust, not who may read, so the
        // forge token git sends is swapped for a staging credential.
        _server.Use((context, next) =>
        {
            context.Request.Headers.Authorization = $"Bearer {_stagingCredential}";
            return next(context);
        });
        _server.MapGitStaging();
        _server.MapGet("/api/v3/repos/octocat/Hello-World", () => Results.Text(
            """{ "id": 1, "name": "Hello-World", "full_name": "octocat/Hello-World", "private": true, "permissions": { "admin": false, "push": true, "pull": true } }""",
            "application/json"));
        await _server.StartAsync(_ct);
        _port = new Uri(_server.Urls.First()).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _ca.Dispose();
        _temp.Dispose();
    }

    private GitHubOptions Options(bool withCaFile) => new()
    {
        Token = "ghp_" + Guid.NewGuid().ToString("N"),
        ApiUrl = $"{Root}api/v3/",
        CloneHosts = [$"localhost:{_port}"],
        CaFile = withCaFile ? _ca.PemPath : null,
    };

    private GitHubPublisher Publisher(GitHubOptions options) =>
        new(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<GitHubPublisher>.Instance);

    private async Task<string> StagedRepositoryAsync()
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);
        var featureId = Guid.NewGuid();
        var name = featureId.ToString("N");
        var bare = await GitRepository.InitBareAsync(_runner, Path.Combine(_temp.Combine("repositories"), name + ".git"), initialBranch: null, _ct);
        await bare.FetchBranchFromAsync(origin.Path, "main", _ct);
        await bare.SetHeadAsync("main", _ct);
        _stagingCredential = Orchestrator.Messaging.StagingCredentials.ForReader(
            _server.Services.GetRequiredService<StagingKeys>().GetOrCreate(featureId), featureId);
        return $"{Root}git/{name}.git";
    }

    [Fact]
    public async Task Git_trusts_the_server_through_the_ca_file_for_that_host_only()
    {
        var repository = await StagedRepositoryAsync();
        var publisher = Publisher(Options(withCaFile: true));

        var trusted = await GitRemote.ProbeAsync(_runner, repository, "main", publisher.GitEnvironmentFor(repository), _ct);
        var untrusted = await GitRemote.ProbeAsync(_runner, repository, "main", Publisher(Options(withCaFile: false)).GitEnvironmentFor(repository), _ct);

        Assert.True(trusted.RepositoryReachable && trusted.BranchExists, trusted.Error);
        Assert.False(untrusted.RepositoryReachable);
        Assert.Contains("certificate", untrusted.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_api_client_trusts_the_server_through_the_ca_file_and_sees_the_push_permission()
    {
        var repository = $"{Root}octocat/Hello-World.git";

        var trusted = await Publisher(Options(withCaFile: true)).CheckWriteAccessAsync(repository, _ct);
        var untrusted = await Publisher(Options(withCaFile: false)).CheckWriteAccessAsync(repository, _ct);

        Assert.Null(trusted);
        Assert.NotNull(untrusted);
        Assert.StartsWith($"could not reach GitHub at {Root}api/v3/", untrusted, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clone_host_with_a_port_matches_only_that_port()
    {
        var publisher = Publisher(Options(withCaFile: true));

        Assert.True(publisher.CanPublishTo($"{Root}octocat/Hello-World.git"));
        Assert.False(publisher.CanPublishTo("https://localhost/octocat/Hello-World.git"));
        Assert.False(publisher.CanPublishTo($"https://localhost:{_port + 1}/octocat/Hello-World.git"));
    }
}
