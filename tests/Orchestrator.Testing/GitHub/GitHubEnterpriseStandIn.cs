using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Testing.GitHub;

/// <summary>
/// A GitHub Enterprise Server-shaped forge for tests, over HTTPS on <c>https://localhost:&lt;port&gt;/</c> with a
/// certificate from a private certificate authority that nothing on the machine trusts (only whoever is given
/// <see cref="CaFile"/>). It serves real git smart HTTP for clone and push (<c>/{owner}/{repo}.git</c>, through
/// <c>git http-backend</c>) and the REST endpoints the merge service's Octokit calls (<c>/api/v3/…</c>: the repository
/// with its permissions, pull requests listed, opened and updated, labels). Every request must carry the token, as
/// basic auth for git (<c>x-access-token:&lt;token&gt;</c>) or <c>token</c>/<c>Bearer</c> for the API, or gets a 401;
/// every request is recorded with its headers.
/// </summary>
public sealed class GitHubEnterpriseStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PrivateCertificateAuthority _authority;
    private readonly ConcurrentQueue<ForgeRequest> _requests = new();
    private readonly ConcurrentDictionary<string, bool> _pushAllowed = new(StringComparer.Ordinal);

    private GitHubEnterpriseStandIn(WebApplication app, PrivateCertificateAuthority authority, string root, string token)
    {
        _app = app;
        _authority = authority;
        RepositoriesRoot = root;
        Token = token;
        PullRequests = new GitHubPullRequests(this);
    }

    /// <summary>The server's root, <c>https://localhost:&lt;port&gt;/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary><c>localhost:&lt;port&gt;</c>, as <c>Forge:GitHub:CloneHosts</c> names it.</summary>
    public string CloneHost => BaseAddress.Authority;

    /// <summary>The REST API root, as <c>Forge:GitHub:ApiUrl</c> names it.</summary>
    public Uri ApiUrl => new(BaseAddress, "api/v3/");

    /// <summary>The private authority's certificate (PEM): what <c>Forge:GitHub:CaFile</c> points at.</summary>
    public string CaFile => _authority.PemPath;

    public string Token { get; }

    /// <summary>The bare repositories, at <c>{owner}/{repo}.git</c> under this folder.</summary>
    public string RepositoriesRoot { get; }

    public GitHubPullRequests PullRequests { get; }

    public GitHubIssueComments IssueComments { get; } = new();

    /// <summary>Every request received so far, in order.</summary>
    public IReadOnlyList<ForgeRequest> Requests => [.. _requests];

    /// <summary>Starts the server; <paramref name="folder"/> holds its repositories and the authority's PEM file.</summary>
    public static async Task<GitHubEnterpriseStandIn> StartAsync(string folder, string token, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);
        var authority = PrivateCertificateAuthority.Create(folder);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(GitHubEnterpriseStandIn).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(authority.Server);
        }));
        var app = builder.Build();
        var standIn = new GitHubEnterpriseStandIn(app, authority, Directory.CreateDirectory(Path.Combine(folder, "repositories")).FullName, token);
        app.Use(standIn.RecordAndAuthenticateAsync);
        standIn.IssueComments.Map(app, (owner, repo) => standIn.CanPush(owner, repo) is not null);
        standIn.PullRequests.Map(app);
        app.Map("/{owner}/{repo}.git/{**path}", (HttpContext context, string owner, string repo, string? path) =>
            GitSmartHttp.ServeAsync(context, standIn.RepositoriesRoot, $"{owner}/{repo}.git/{path}"));
        await app.StartAsync(cancellationToken);
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        standIn.BaseAddress = new Uri($"https://localhost:{port}/");
        return standIn;
    }

    /// <summary>
    /// Publishes a copy of <paramref name="source"/> (a bare repository) as <c>{owner}/{name}</c> and returns its clone
    /// URL. <paramref name="canPush"/> is what the API reports as the token's <c>permissions.push</c> there.
    /// </summary>
    public string AddRepository(string owner, string name, string source, bool canPush = true)
    {
        var destination = Path.Combine(RepositoriesRoot, owner, name + ".git");
        GitSmartHttp.Git(RepositoriesRoot, "clone", "--bare", "--quiet", source, destination);
        // http-backend accepts pushes from an authenticated user only; the stand-in authenticates before it runs.
        GitSmartHttp.Git(destination, "config", "http.receivepack", "true");
        _pushAllowed[$"{owner}/{name}"] = canPush;
        return new Uri(BaseAddress, $"{owner}/{name}.git").AbsoluteUri;
    }

    /// <summary>Whether <c>{owner}/{name}</c> exists here, and whether the token may push to it.</summary>
    internal bool? CanPush(string owner, string name) => _pushAllowed.TryGetValue($"{owner}/{name}", out var push) ? push : null;

    /// <summary>The commit a branch points at in a published repository, or null.</summary>
    public string? BranchHead(string owner, string name, string branch) =>
        GitSmartHttp.TryGit(Path.Combine(RepositoriesRoot, owner, name + ".git"), "rev-parse", "--verify", "--quiet", $"refs/heads/{branch}^{{commit}}");

    /// <summary>Whether <paramref name="ancestor"/> is in the history of <paramref name="descendant"/> (a push that did not rewrite it).</summary>
    public bool IsAncestor(string owner, string name, string ancestor, string descendant) =>
        GitSmartHttp.TryGit(Path.Combine(RepositoriesRoot, owner, name + ".git"), "merge-base", "--is-ancestor", ancestor, descendant) is not null;

    /// <summary>A file's content on a branch of a published repository, or null.</summary>
    public string? FileOnBranch(string owner, string name, string branch, string path) =>
        GitSmartHttp.TryGit(Path.Combine(RepositoriesRoot, owner, name + ".git"), "show", $"refs/heads/{branch}:{path}");

    private async Task RecordAndAuthenticateAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        _requests.Enqueue(new ForgeRequest(
            request.Method, request.Path + request.QueryString,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        if (!Authenticated(request.Headers.Authorization.ToString()))
        {
            // As GitHub: git is asked for basic credentials, the API answers in JSON.
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"GitHub\"";
            await context.Response.WriteAsJsonAsync(new { message = "Bad credentials", documentation_url = "https://docs.github.com/rest" });
            return;
        }

        await next(context);
    }

    // Schemes are case-insensitive (git sends "basic", Octokit "token"); the credential is compared exactly.
    private bool Authenticated(string authorization)
    {
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return false;
        }

        var scheme = authorization[..space];
        var credential = authorization[(space + 1)..];
        return scheme.ToLowerInvariant() switch
        {
            "token" or "bearer" => string.Equals(credential, Token, StringComparison.Ordinal),
            "basic" => string.Equals(credential, Convert.ToBase64String(Encoding.UTF8.GetBytes($"x-access-token:{Token}")), StringComparison.Ordinal),
            _ => false,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _authority.Dispose();
    }
}

/// <summary>One request the stand-in received: method, path with query, and every header.</summary>
public sealed record ForgeRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers)
{
    public bool IsApi => PathAndQuery.StartsWith("/api/", StringComparison.Ordinal);

    public override string ToString() => $"{Method} {PathAndQuery}";
}
