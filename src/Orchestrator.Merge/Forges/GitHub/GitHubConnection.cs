using System.Diagnostics;
using Octokit;
using Octokit.Internal;

namespace Orchestrator.Merge.Forges.GitHub;

/// <summary>
/// The Octokit client for the configured API: the token, the private certificate authorities of
/// <c>Forge:GitHub:CaFile</c>, and no tracing headers — the internal trace and baggage (which carry message
/// conversation ids) do not leave the system for the forge.
/// </summary>
internal static class GitHubConnection
{
    public static IGitHubClient Create(GitHubOptions options)
    {
        var credentials = new InMemoryCredentialStore(new Credentials(options.Token!.Trim()));
        var http = new HttpClientAdapter(() => Handler(options));
        // This constructor keeps the base address as given; (product, Uri) would append api/v3/ to it.
        return new GitHubClient(new Connection(
            new ProductHeaderValue("Orchestrator"), options.GetApiBaseUri(), credentials, http, new SimpleJsonSerializer()));
    }

    private static SocketsHttpHandler Handler(GitHubOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (!string.IsNullOrWhiteSpace(options.CaFile) && GitHubCertificateAuthorities.TryLoad(options.CaFile, out var authorities) is null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = GitHubCertificateAuthorities.Validation(authorities);
        }

        return handler;
    }
}
