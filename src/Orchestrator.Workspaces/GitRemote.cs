namespace Orchestrator.Workspaces;

/// <summary>Checks a repository and branch before any work is accepted for them.</summary>
public static class GitRemote
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Lists the heads of <paramref name="repository"/> (a URL, a file:// URL or a local path) and reports whether
    /// it answered and has <paramref name="branch"/>; <see cref="RemoteProbe.Error"/> says why not.
    /// </summary>
    public static Task<RemoteProbe> ProbeAsync(ProcessRunner runner, string repository, string branch, CancellationToken ct) =>
        ProbeAsync(runner, repository, branch, environment: null, ct);

    /// <summary>Probes like the overload above, with <paramref name="environment"/> (e.g. forge credentials) for git.</summary>
    public static async Task<RemoteProbe> ProbeAsync(
        ProcessRunner runner, string repository, string branch, IReadOnlyDictionary<string, string>? environment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runner);
        if (string.IsNullOrWhiteSpace(repository))
        {
            return new RemoteProbe(false, false, "No repository was given.");
        }

        if (string.IsNullOrWhiteSpace(branch))
        {
            return new RemoteProbe(false, false, "No branch was given.");
        }

        // Only the branch's own ref is asked for: the output of a repository with thousands of branches would outgrow
        // the output cap and lose the middle of the list (the branch looked for with it). Whatever the name holds, the
        // pattern starts with refs/heads/, so git never reads it as an option; the exact comparison below decides.
        string[] arguments = ["ls-remote", "--heads", "--", GitCli.NormalizeSource(repository), $"refs/heads/{branch}"];
        var result = await GitCli.RunAsync(runner, Path.GetTempPath(), arguments, ct, ProbeTimeout, environment).ConfigureAwait(false);
        if (result.TimedOut)
        {
            return new RemoteProbe(false, false, $"'{repository}' did not answer within {ProbeTimeout.TotalSeconds:0} s.");
        }

        if (!result.Succeeded)
        {
            var detail = result.Output.Trim();
            return new RemoteProbe(false, false, detail.Length > 0
                ? $"'{repository}' is not a reachable git repository: {detail}"
                : $"'{repository}' is not a reachable git repository (git exited with {result.ExitCode}).");
        }

        return GitCli.HeadsIn(result.Output).Contains(branch, StringComparer.Ordinal)
            ? new RemoteProbe(true, true, null)
            : new RemoteProbe(true, false, $"'{repository}' has no branch '{branch}'.");
    }

    /// <summary>
    /// Deletes <paramref name="branches"/> from <paramref name="repository"/> (a URL, a file:// URL or a local path),
    /// with <paramref name="environment"/> (e.g. forge credentials) for git; throws <see cref="GitCommandException"/>
    /// when the repository refuses, for instance because a branch is already gone.
    /// </summary>
    public static async Task DeleteBranchesAsync(
        ProcessRunner runner, string repository, IReadOnlyList<string> branches, IReadOnlyDictionary<string, string>? environment,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runner);

        // `git push --delete` needs a repository to run in, not a clone: an empty one will do.
        var scratch = Directory.CreateTempSubdirectory("orchestrator-push-").FullName;
        try
        {
            await GitRepository.InitAsync(runner, scratch, "main", ct).ConfigureAwait(false);
            await new GitRepository(runner, scratch, environment).DeleteRemoteBranchesAsync(repository, branches, ct).ConfigureAwait(false);
        }
        finally
        {
            // A scratch folder left in the temporary directory is not worth failing the deletion for.
            WorkspaceDirectory.TryDelete(scratch);
        }
    }
}
