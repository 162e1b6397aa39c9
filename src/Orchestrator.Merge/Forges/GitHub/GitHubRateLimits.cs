using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Octokit;
using Polly;
using Polly.Retry;

namespace Orchestrator.Merge.Forges.GitHub;

/// <summary>
/// Waits out GitHub's rate limits, primary and secondary, as long as GitHub advises (<c>Retry-After</c>,
/// <c>X-RateLimit-Reset</c>, else a minute) and sends the call again, while one publication's waits stay within
/// <see cref="GitHubOptions.SecondaryRateLimitMaxWait"/> in total.
/// </summary>
/// <remarks>
/// A Polly pipeline around each Octokit call rather than a resilience handler under Octokit: the wait budget belongs to
/// a publication of several calls, which only the caller knows, and Octokit already tells a rate limit from any other
/// 403 by its body.
/// </remarks>
internal sealed partial class GitHubRateLimits
{
    private static readonly ResiliencePropertyKey<RateLimitedCall> CallKey = new("Orchestrator.GitHub.RateLimitedCall");

    private readonly GitHubOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;

    public GitHubRateLimits(GitHubOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                // The budget ends the retries, not a count: every wait is at least a second.
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is ApiException ex && Wait(ex) is { } wait && CallOf(args.Context).Budget.Allows(wait)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is ApiException ex ? Wait(ex) : null),
                OnRetry = args =>
                {
                    var call = CallOf(args.Context);
                    call.Budget.Spend(args.RetryDelay);
                    LogRateLimited(logger, call.Repository, args.RetryDelay.TotalSeconds, call.Action);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>The wait budget of one publication, shared by all its calls.</summary>
    public RateLimitBudget NewBudget() => new(_options.SecondaryRateLimitMaxWait);

    public async Task<T> SendAsync<T>(Func<Task<T>> send, RateLimitBudget budget, string repository, string action, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CallKey, new RateLimitedCall(budget, repository, action));
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (context, send) =>
                {
                    context.CancellationToken.ThrowIfCancellationRequested();
                    return await send().WaitAsync(context.CancellationToken);
                },
                context,
                send);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Why the publication fails, when <paramref name="ex"/> is a rate limit that outlasted the budget; else null.</summary>
    public string? GaveUpReason(ApiException ex, string repository, string action)
    {
        if (Wait(ex) is not { } wait)
        {
            return null;
        }

        var kind = ex is RateLimitExceededException || Header(ex, "X-RateLimit-Remaining") == "0"
            ? "API rate limit for this token is used up"
            : "secondary rate limit keeps refusing requests";
        return string.Create(CultureInfo.InvariantCulture,
            $"GitHub's {kind} (could not {action} on {repository}): it asks to wait {wait.TotalSeconds:0} s more, " +
            $"beyond Forge:GitHub:SecondaryRateLimitMaxWait ({_options.SecondaryRateLimitMaxWait.TotalSeconds:0} s in total); try again later");
    }

    private static RateLimitedCall CallOf(ResilienceContext context) =>
        context.Properties.TryGetValue(CallKey, out var call) ? call : throw new InvalidOperationException("A GitHub call without its rate-limit budget.");

    /// <summary>How long GitHub asks us to wait, or null when the failure is not a rate limit.</summary>
    private TimeSpan? Wait(ApiException ex)
    {
        var retryAfter = Header(ex, "Retry-After");
        var remaining = Header(ex, "X-RateLimit-Remaining");
        var limited = ex is SecondaryRateLimitExceededException or AbuseException or RateLimitExceededException
                      || ex.StatusCode == HttpStatusCode.TooManyRequests
                      || (ex.StatusCode == HttpStatusCode.Forbidden && (retryAfter is not null || remaining == "0"));
        if (!limited)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        TimeSpan? advised = null;
        if (retryAfter is not null)
        {
            advised = RetryConditionHeaderValue.TryParse(retryAfter, out var after) ? after.Delta ?? after.Date - now : null;
        }
        else if (ex is AbuseException { RetryAfterSeconds: { } abuseSeconds })
        {
            advised = TimeSpan.FromSeconds(abuseSeconds);
        }
        else if (remaining == "0"
                 && long.TryParse(Header(ex, "X-RateLimit-Reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var reset))
        {
            advised = DateTimeOffset.FromUnixTimeSeconds(reset) - now;
        }

        // GitHub: without a hint, wait at least a minute. At least a second each time, so the budget always runs out.
        var wait = advised ?? TimeSpan.FromMinutes(1);
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
    }

    private static string? Header(ApiException ex, string name)
    {
        var headers = ex.HttpResponse?.Headers;
        if (headers is null)
        {
            return null;
        }

        foreach (var (key, value) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value?.Trim();
            }
        }

        return null;
    }

    private sealed record RateLimitedCall(RateLimitBudget Budget, string Repository, string Action);

    /// <summary>Total time one publication may spend waiting for rate limits.</summary>
    public sealed class RateLimitBudget(TimeSpan limit)
    {
        private TimeSpan _spent;

        public bool Allows(TimeSpan wait) => _spent + wait <= limit;

        public void Spend(TimeSpan wait) => _spent += wait;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub rate limit on {Repository}: waiting {Seconds:0.#} s, then retrying to {Action}")]
    private static partial void LogRateLimited(ILogger logger, string repository, double seconds, string action);
}
