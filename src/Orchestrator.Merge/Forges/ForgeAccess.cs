namespace Orchestrator.Merge.Forges;

/// <summary>Git environment (forge credentials) for a repository, from whichever forge handles it.</summary>
public sealed class ForgeAccess(IEnumerable<IForgeCredentials> credentials)
{
    public IReadOnlyDictionary<string, string>? GitEnvironmentFor(string repository) =>
        credentials.Select(c => c.GitEnvironmentFor(repository)).FirstOrDefault(e => e is not null);
}
