namespace Orchestrator.Merge.Forges;

/// <summary>Lets git authenticate to a forge without the credential appearing in a URL, an argument or a config file.</summary>
public interface IForgeCredentials
{
    /// <summary>
    /// Environment variables to add to every git call on <paramref name="repository"/>, or null when this forge has
    /// nothing to add for it (not its host, no credential, or a transport such as SSH that brings its own).
    /// </summary>
    IReadOnlyDictionary<string, string>? GitEnvironmentFor(string repository);
}
