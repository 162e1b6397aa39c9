using System.Text;

namespace Orchestrator.Workspaces;

public sealed partial class GitRepository
{
    /// <summary>
    /// Hands the unified diff from <paramref name="fromRevision"/> to <paramref name="toRevision"/> to
    /// <paramref name="read"/> as git writes it, whatever its size. Every file is shown as text (a NUL byte does not
    /// hide a file's content) and without context lines; no external diff or text conversion driver runs.
    /// </summary>
    public Task ReadDiffAsync(
        string fromRevision, string toRevision, Func<TextReader, CancellationToken, Task> read, CancellationToken ct)
    {
        GitCli.ValidateRevision(fromRevision, nameof(fromRevision));
        GitCli.ValidateRevision(toRevision, nameof(toRevision));
        return StreamAsync(
            ["diff", "--text", "--no-color", "--no-ext-diff", "--no-textconv", "--unified=0", "--src-prefix=a/", "--dst-prefix=b/",
             "--end-of-options", fromRevision, toRevision, "--"],
            read, ct);
    }

    /// <summary>
    /// Hands the full messages of the commits reachable from <paramref name="toRevision"/> but not from
    /// <paramref name="fromRevision"/> to <paramref name="read"/>, one after another.
    /// </summary>
    public Task ReadCommitMessagesAsync(
        string fromRevision, string toRevision, Func<TextReader, CancellationToken, Task> read, CancellationToken ct)
    {
        GitCli.ValidateRevision(fromRevision, nameof(fromRevision));
        GitCli.ValidateRevision(toRevision, nameof(toRevision));
        return StreamAsync(["log", "--format=%B", "--end-of-options", $"{fromRevision}..{toRevision}", "--"], read, ct);
    }

    /// <summary>
    /// Makes an independent copy of this repository's current branch at <paramref name="destination"/>: its own object
    /// files (no hard links shared with this one) and its own configuration, so nothing done in the copy can reach here.
    /// </summary>
    public async Task<GitRepository> CopyAsync(string destination, CancellationToken ct)
    {
        var branch = await RunAsync(ct, "symbolic-ref", "--short", "HEAD").ConfigureAwait(false);
        var (target, parent) = PrepareDestination(destination);
        await new GitRepository(_runner, parent)
            .RunCheckedAsync(["clone", "--quiet", "--no-hardlinks", "--branch", branch, "--", WorkingDirectory, target], ct)
            .ConfigureAwait(false);
        return new GitRepository(_runner, target);
    }

    // Output that may be larger than any cap is read as it comes; stderr alone goes into the error message.
    private async Task StreamAsync(string[] arguments, Func<TextReader, CancellationToken, Task> read, CancellationToken ct)
    {
        var spec = GitCli.Spec(WorkingDirectory, arguments, environment);
        var streams = new ProcessStreams(Stream.Null, async (stdout, token) =>
        {
            using var reader = new StreamReader(stdout, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            await read(reader, token).ConfigureAwait(false);

            // The reader may stop early (it found what it looked for); git must still be able to finish writing.
            await reader.BaseStream.CopyToAsync(Stream.Null, token).ConfigureAwait(false);
        });
        var result = await _runner.RunAsync(spec, streams, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw GitCli.Failure(arguments, result);
        }
    }
}
