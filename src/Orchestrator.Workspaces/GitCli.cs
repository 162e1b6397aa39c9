namespace Orchestrator.Workspaces;

// Every git invocation goes through here so the safety settings cannot be forgotten by one call site.
internal static class GitCli
{
    // Hooks are code from the repository (or the machine) that an agent could plant; signing and
    // fsmonitor would run external programs; quotePath keeps non-ASCII names readable in parsed output.
    private static readonly string[] SafetyOptions =
    [
        "-c", "core.hooksPath=/dev/null",
        "-c", "protocol.file.allow=always",
        "-c", "core.fsmonitor=false",
        "-c", "commit.gpgsign=false",
        "-c", "tag.gpgsign=false",
        "-c", "core.quotePath=false",
    ];

    public static Task<ProcessResult> RunAsync(
        ProcessRunner runner,
        string workingDirectory,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var spec = Spec(workingDirectory, arguments, environment);
        if (timeout is { } limit)
        {
            spec = spec with { Timeout = limit };
        }

        return runner.RunAsync(spec, cancellationToken);
    }

    /// <summary>A git process with the safety options, confined to <paramref name="workingDirectory"/>.</summary>
    public static ProcessSpec Spec(string workingDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var variables = environment is null ? new Dictionary<string, string>() : new Dictionary<string, string>(environment);

        // Stops git from walking up into an enclosing repository when the working directory is not one.
        variables["GIT_CEILING_DIRECTORIES"] = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(workingDirectory)) ?? string.Empty;
        return new ProcessSpec("git", [.. SafetyOptions, .. arguments], workingDirectory) { Environment = variables };
    }

    public static GitCommandException Failure(IReadOnlyList<string> arguments, ProcessResult result)
    {
        var command = CommandLine.Format("git", arguments);
        var output = result.Output.Trim();
        var reason = result.TimedOut ? "timed out" : $"failed with exit code {result.ExitCode}";
        var message = output.Length == 0 ? $"{command} {reason}." : $"{command} {reason}: {output}";
        return new GitCommandException(message, output);
    }

    // Local repositories may be given relative to the caller's directory, which is not git's working directory.
    public static string NormalizeSource(string source) =>
        !source.Contains("://", StringComparison.Ordinal) && Directory.Exists(source) ? Path.GetFullPath(source) : source;

    // A repository location: a URL, a local path or a remote name. Callers also put "--" before it.
    public static void ValidateSource(string source, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source, parameterName);
        if (source.StartsWith('-') || source.Any(char.IsControl))
        {
            throw new ArgumentException($"'{source}' is not a valid repository location.", parameterName);
        }
    }

    // Refuses names git would read as options, and anything git itself calls an invalid ref name.
    public static void ValidateBranchName(string branch, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch, parameterName);
        if (!IsValidBranchName(branch))
        {
            throw new ArgumentException($"'{branch}' is not a valid branch name.", parameterName);
        }
    }

    public static bool IsValidBranchName(string branch) =>
        !string.IsNullOrWhiteSpace(branch)
        && !(branch.StartsWith('-')
            || branch.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\')
            || branch.Contains("..", StringComparison.Ordinal)
            || branch.Contains("@{", StringComparison.Ordinal)
            || branch.StartsWith('/')
            || branch.EndsWith('/')
            || branch.EndsWith(".lock", StringComparison.Ordinal)
            || branch.EndsWith('.'));

    public static void ValidateRevision(string revision, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(revision, parameterName);
        if (revision.StartsWith('-') || revision.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"'{revision}' is not a valid revision.", parameterName);
        }
    }

    public static IEnumerable<string> HeadsIn(string lsRemoteOutput)
    {
        foreach (var line in lsRemoteOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0 || !line[..tab].All(char.IsAsciiHexDigit))
            {
                // Warnings from stderr share the output; only "<sha>\t<ref>" lines are refs.
                continue;
            }

            var reference = line[(tab + 1)..];
            if (reference.StartsWith("refs/heads/", StringComparison.Ordinal))
            {
                yield return reference["refs/heads/".Length..];
            }
        }
    }
}
