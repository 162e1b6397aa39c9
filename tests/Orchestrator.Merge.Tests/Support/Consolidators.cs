using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Merge.Forges;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests.Support;

/// <summary>A <see cref="FeatureConsolidator"/> wired as the merge service wires it: real git, the real sandbox.</summary>
internal static class Consolidators
{
    public static FeatureConsolidator Create(
        ProcessRunner runner,
        IPullRequestPublisher forge,
        ForgeAccess access,
        string workRoot,
        TimeSpan? verificationTimeout = null,
        IRepositoryCommandRunner? repositoryCommands = null,
        params string[] ownSecrets)
    {
        var options = Options.Create(new MergeOptions { WorkRoot = workRoot, VerificationTimeout = verificationTimeout ?? TimeSpan.FromMinutes(1) });
        return new FeatureConsolidator(
            runner,
            new MergeVerifier(repositoryCommands ?? Runners.Sandboxed(), options, NullLogger<MergeVerifier>.Instance),
            new SecretScanner(ownSecrets.Select(secret => new ServiceSecret("Forge:GitHub:Token", secret))),
            [forge],
            access,
            options,
            Options.Create(new PublicLinkOptions()),
            NullLogger<FeatureConsolidator>.Instance);
    }
}
