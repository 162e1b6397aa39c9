using System.Text.RegularExpressions;

namespace Orchestrator.Workspaces;

/// <summary>A <c>Key: value</c> line in the last paragraph of a commit message, readable with <c>%(trailers)</c>.</summary>
public sealed record CommitTrailer(string Key, string Value);

public sealed partial class GitRepository
{
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
