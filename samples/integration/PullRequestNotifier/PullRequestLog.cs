using Microsoft.Extensions.Options;

namespace PullRequestNotifier;

/// <summary>
/// The file a line is appended to per pull request and per failed feature: <c>&lt;feature id&gt; &lt;what&gt; …</c>.
/// The Orchestrator delivers each event at least once — a consolidation sent again after its merge instance went silent
/// announces the same pull request twice — so a line whose feature and kind are already in the file is not written again.
/// </summary>
public sealed class PullRequestLog(IOptions<NotifierOptions> options)
{
    private const int MaxReasonLength = 500;

    // Consumers run concurrently: one writer at a time keeps lines whole and the duplicate check true.
    private readonly SemaphoreSlim _writer = new(1, 1);

    public string Path => System.IO.Path.GetFullPath(options.Value.OutputFile);

    /// <returns>False when the file already had this line.</returns>
    public Task<bool> PullRequestOpenedAsync(PullRequestOpened opened, CancellationToken cancellationToken)
    {
        var verification = opened.Verification switch
        {
            null => "verification unknown",
            { Ran: false } => "not verified",
            { Passed: true } v => $"verified: {v.Command} passed",
            var v => $"verification failed: {v.Command}",
        };
        var pullRequest = opened.PullRequest;
        return AppendOnceAsync(opened.FeatureId, "pull-request",
            $"#{pullRequest.Number} {pullRequest.Url} ({pullRequest.Head} -> {pullRequest.Base}; {verification})", cancellationToken);
    }

    /// <returns>False when the file already had this line.</returns>
    public Task<bool> FeatureFailedAsync(FeatureFailed failed, CancellationToken cancellationToken)
    {
        // A reason can quote many lines of build output: one line per event, cut to a readable length.
        var reason = string.Join(' ', failed.Reason.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return AppendOnceAsync(failed.FeatureId, "failed",
            reason.Length > MaxReasonLength ? reason[..MaxReasonLength] + "…" : reason, cancellationToken);
    }

    private async Task<bool> AppendOnceAsync(Guid featureId, string kind, string text, CancellationToken cancellationToken)
    {
        var key = $"{featureId} {kind} ";
        await _writer.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(Path) && (await File.ReadAllLinesAsync(Path, cancellationToken)).Any(line => line.StartsWith(key, StringComparison.Ordinal)))
            {
                return false;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            await File.AppendAllTextAsync(Path, key + text + Environment.NewLine, cancellationToken);
            return true;
        }
        finally
        {
            _writer.Release();
        }
    }
}
