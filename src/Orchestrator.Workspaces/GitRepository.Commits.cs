using System.Text.RegularExpressions;

namespace Orchestrator.Workspaces;

/// <summary>A <c>Key: value</c> line in the last paragraph of a commit message, readable with <c>%(trailers)</c>.</summary>
public sealed record CommitTrailer(string Key, string Value);

/// <summary>
/// A commit read back: its subject, its body without the trailers, its trailers, and the files it changed (against
/// its first parent).
/// </summary>
public sealed record CommitRecord(string Commit, string Subject, string Body, IReadOnlyList<CommitTrailer> Trailers, IReadOnlyList<string> ChangedFiles)
{
    /// <summary>The value of the trailer <paramref name="key"/>, or null when the commit has none.</summary>
    public string? Trailer(string key) => Trailers.FirstOrDefault(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase))?.Value;
}

public sealed partial class GitRepository
{
    // The tree of no files: what a commit without a parent is compared with.
    private const string EmptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

    /// <summary>Reads the commit <paramref name="revision"/> names; throws when it names none.</summary>
    public async Task<CommitRecord> ReadCommitAsync(string revision, CancellationToken ct)
    {
        var commit = await ResolveAsync(revision, ct).ConfigureAwait(false);
        var parts = (await RunCheckedAsync(["log", "-1", "--format=%s%x00%b%x00%(trailers:only,unfold)", "--end-of-options", commit, "--"], ct)
            .ConfigureAwait(false)).Output.Split('\0');
        var trailers = parts[2].Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2)
            .Select(pair => new CommitTrailer(pair[0].Trim(), pair[1].Trim()))
            .ToList();
        // The trailers are the body's last paragraph, as CommitAllAsync writes them.
        var body = parts[1].TrimEnd();
        var trailerBlock = parts[2].TrimEnd();
        if (trailerBlock.Length > 0 && body.EndsWith(trailerBlock, StringComparison.Ordinal))
        {
            body = body[..^trailerBlock.Length].TrimEnd();
        }

        var parent = await TryResolveAsync($"{commit}^1", ct).ConfigureAwait(false) ?? EmptyTree;
        var changed = await RunCheckedAsync(["diff", "--name-only", "-z", "--no-renames", "--end-of-options", parent, commit, "--"], ct).ConfigureAwait(false);
        return new CommitRecord(commit, parts[0].Trim(), body, trailers, changed.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Uncommitted changes, untracked files included, as paths relative to the working directory.</summary>
    public async Task<IReadOnlyList<string>> ChangedFilesAsync(CancellationToken ct)
    {
        var result = await RunCheckedAsync(["status", "--porcelain=v1", "-z", "--untracked-files=all"], ct).ConfigureAwait(false);
        return ParsePorcelainZ(result.Output);
    }

    /// <summary>Stages everything and commits it; returns the new HEAD, or null when there was nothing to commit.</summary>
    public Task<string?> CommitAllAsync(string message, CancellationToken ct) => CommitAllAsync(message, [], ct);

    /// <summary>
    /// Commits like <see cref="CommitAllAsync(string, CancellationToken)"/>, with <paramref name="trailers"/> as the
    /// message's last paragraph.
    /// </summary>
    public async Task<string?> CommitAllAsync(string message, IReadOnlyList<CommitTrailer> trailers, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        ArgumentNullException.ThrowIfNull(trailers);
        var fullMessage = trailers.Count == 0 ? message : $"{message.TrimEnd()}\n\n{string.Join('\n', trailers.Select(TrailerLine))}";

        await RunCheckedAsync(["add", "-A"], ct).ConfigureAwait(false);

        string[] check = ["diff", "--cached", "--quiet"];
        var staged = await ExecuteAsync(check, ct).ConfigureAwait(false);
        if (staged.Succeeded)
        {
            return null;
        }

        if (staged.TimedOut || staged.ExitCode != 1)
        {
            throw GitCli.Failure(check, staged);
        }

        await RunCheckedAsync(["commit", "--no-verify", "-m", fullMessage], ct).ConfigureAwait(false);
        return await HeadAsync(ct).ConfigureAwait(false);
    }

    internal static IReadOnlyList<string> ParsePorcelainZ(string output)
    {
        var files = new List<string>();
        var entries = output.Split('\0');
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];

            // "XY path": two status letters, a space, then the path verbatim.
            if (entry.Length < 4 || entry[2] != ' ')
            {
                continue;
            }

            files.Add(entry[3..]);

            // Renames and copies carry the original path as the next NUL-separated field; it changed too.
            if (entry[0] is 'R' or 'C' && i + 1 < entries.Length)
            {
                i++;
                if (entries[i].Length > 0)
                {
                    files.Add(entries[i]);
                }
            }
        }

        return files.Distinct(StringComparer.Ordinal).ToList();
    }

    // A line break in a value would end the trailer and let the rest pose as another one.
    private static string TrailerLine(CommitTrailer trailer)
    {
        if (!TrailerKey().IsMatch(trailer.Key))
        {
            throw new ArgumentException($"'{trailer.Key}' is not a trailer key (letters, digits and '-').", nameof(trailer));
        }

        return $"{trailer.Key}: {Whitespace().Replace(trailer.Value.Trim(), " ")}";
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]*$")]
    private static partial Regex TrailerKey();

    [GeneratedRegex(@"[\s\p{C}]+")]
    private static partial Regex Whitespace();
}
