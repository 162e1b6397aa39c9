using System.Text.RegularExpressions;
using Orchestrator.Merge.Forges;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge;

/// <summary>A secret-like text found before anything left: where, and what kind — never the value.</summary>
public sealed record SecretFinding(string Where, string Kind);

/// <summary>
/// Looks for secrets in what is about to leave the system (the added lines of the diff, commit messages, the pull
/// request body): the service's own secret values, and the shapes of common tokens and keys.
/// </summary>
public sealed partial class SecretScanner(IEnumerable<ServiceSecret> ownSecrets)
{
    // Shorter values would match ordinary text; no real credential is this short.
    private const int MinSecretLength = 8;

    private readonly IReadOnlyList<ServiceSecret> _ownSecrets = ownSecrets
        .Where(s => !string.IsNullOrWhiteSpace(s.Value) && s.Value.Trim().Length >= MinSecretLength)
        .Select(s => s with { Value = s.Value.Trim() })
        .DistinctBy(s => s.Value, StringComparer.Ordinal)
        .ToList();

    private static readonly (string Kind, Regex Pattern)[] Shapes =
    [
        ("a GitHub token", GitHubToken()),
        ("an OpenAI-style API key", OpenAiKey()),
        ("an AWS access key id", AwsAccessKey()),
        ("a private key", PrivateKey()),
    ];

    /// <summary>Every finding in <paramref name="text"/>, found at <paramref name="where"/> (a file, "a commit message", "the pull request body").</summary>
    public IReadOnlyList<SecretFinding> Scan(string where, string text)
    {
        var findings = new List<SecretFinding>();
        findings.AddRange(_ownSecrets
            .Where(secret => text.Contains(secret.Value, StringComparison.Ordinal))
            .Select(secret => new SecretFinding(where, $"a secret of this service ({secret.Setting})")));

        findings.AddRange(Shapes.Where(shape => shape.Pattern.IsMatch(text)).Select(shape => new SecretFinding(where, shape.Kind)));
        return findings;
    }

    /// <summary>The added lines of a unified diff, by file, as <c>git diff</c> prints them.</summary>
    public IReadOnlyList<SecretFinding> ScanDiff(string unifiedDiff)
    {
        using var reader = new StringReader(unifiedDiff);
        return ScanDiffAsync(reader, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>The added lines of a unified diff read as git writes it, by file: a diff of any size is read once, line by line.</summary>
    public async Task<IReadOnlyList<SecretFinding>> ScanDiffAsync(TextReader unifiedDiff, CancellationToken cancellationToken)
    {
        var findings = new List<SecretFinding>();
        var file = "the diff";
        while (await unifiedDiff.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("+++ ", StringComparison.Ordinal))
            {
                file = line[4..].Trim() is var name && name.StartsWith("b/", StringComparison.Ordinal) ? name[2..] : name;
            }
            else if (line.StartsWith('+'))
            {
                findings.AddRange(Scan(file, line[1..]));
            }
        }

        return findings.Distinct().ToList();
    }

    /// <summary>
    /// Everything of a feature about to leave the system: the lines its merged commits add to the base, their commit
    /// messages, and the pull request's title and body.
    /// </summary>
    public async Task<IReadOnlyList<SecretFinding>> ScanOutgoingAsync(
        GitRepository git, string baseCommit, string mergedCommit, PullRequestDraft pullRequest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        var findings = new List<SecretFinding>();
        await git.ReadDiffAsync(baseCommit, mergedCommit,
            async (diff, ct) => findings.AddRange(await ScanDiffAsync(diff, ct).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
        await git.ReadCommitMessagesAsync(baseCommit, mergedCommit,
            async (log, ct) => findings.AddRange(await ScanLinesAsync("a commit message", log, ct).ConfigureAwait(false)), cancellationToken)
            .ConfigureAwait(false);
        findings.AddRange(Scan("the pull request title", pullRequest.Title));
        findings.AddRange(Scan("the pull request body", pullRequest.Body));
        return findings.Distinct().ToList();
    }

    /// <summary>Every finding in the lines of <paramref name="text"/>, found at <paramref name="where"/>.</summary>
    public async Task<IReadOnlyList<SecretFinding>> ScanLinesAsync(string where, TextReader text, CancellationToken cancellationToken)
    {
        var findings = new List<SecretFinding>();
        while (await text.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            findings.AddRange(Scan(where, line));
        }

        return findings.Distinct().ToList();
    }

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b")]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}")]
    private static partial Regex OpenAiKey();

    [GeneratedRegex(@"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")]
    private static partial Regex AwsAccessKey();

    [GeneratedRegex(@"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----")]
    private static partial Regex PrivateKey();
}
