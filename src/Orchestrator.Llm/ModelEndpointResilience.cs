using System.Globalization;
using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Fallback;
using Polly.Retry;
using Polly.Timeout;

namespace Orchestrator.Llm;

/// <summary>
/// The resilience pipeline of the <c>llm</c> endpoint: requests that failed for a passing reason (429, 500, 502, 503,
/// 504, network errors, timeouts) are retried with exponential backoff and jitter, honouring
/// <c>retry-after-ms</c>/<c>Retry-After</c> up to <see cref="ModelOptions.RetryMaxDelay"/>, at most
/// <see cref="ModelOptions.MaxRetries"/> times; what still fails then becomes a <see cref="ModelEndpointException"/>.
/// Each attempt has its own <see cref="ModelOptions.RequestTimeout"/>; the caller's cancellation stops an attempt or a
/// wait at once.
/// </summary>
/// <remarks>
/// This replaces both the OpenAI SDK's own retry policy (turned off where the client is made) and the standard
/// resilience handler of the service defaults (whose 10 s attempt timeout would cut every real generation short):
/// one place, one bound.
/// </remarks>
internal static partial class ModelEndpointResilience
{
    public static ResiliencePipeline<HttpResponseMessage> Create(ModelOptions options, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        builder.AddFallback(new FallbackStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context)),
            FallbackAction = args => Outcome.FromExceptionAsValueTask<HttpResponseMessage>(GaveUp(args.Outcome, args.Context, options)),
        });

        // Polly refuses a retry strategy without retries.
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(Retry(options, logger));
        }

        return builder.AddTimeout(options.RequestTimeout).Build();
    }

    private static HttpRetryStrategyOptions Retry(ModelOptions options, ILogger logger)
    {
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            // So instances throttled together do not come back together.
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.RetryMaxDelay,
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context)),
            OnRetry = args =>
            {
                var request = args.Context.GetRequestMessage();
                LogRetrying(logger, Failure(args.Outcome, request, options), request?.RequestUri?.AbsolutePath,
                    args.AttemptNumber + 1, options.MaxRetries, args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        };

        // The library's generator reads Retry-After; OpenAI and Azure also send the more precise retry-after-ms.
        // MaxDelay caps only Polly's own backoff, never what a generator asks for, so the cap is applied here too.
        var retryAfter = retry.DelayGenerator!;
        retry.DelayGenerator = async args =>
        {
            var asked = RetryAfterMilliseconds(args.Outcome.Result) ?? await retryAfter(args);
            return asked > options.RetryMaxDelay ? options.RetryMaxDelay : asked;
        };
        return retry;
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, ResilienceContext context) => outcome switch
    {
        { Result: { } response } => response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        // The transport's connect timeout; the caller's own cancellation is never retried.
        { Exception: OperationCanceledException } => !context.CancellationToken.IsCancellationRequested,
        _ => false,
    };

    private static ModelEndpointException GaveUp(Outcome<HttpResponseMessage> outcome, ResilienceContext context, ModelOptions options)
    {
        var failure = Failure(outcome, context.GetRequestMessage(), options);
        var status = outcome.Result?.StatusCode;
        // The exception takes the response's place, so nobody else will dispose it.
        outcome.Result?.Dispose();
        var retries = options.MaxRetries == 1 ? "1 retry" : $"{options.MaxRetries} retries";
        return new ModelEndpointException($"the model endpoint failed: {failure} after {retries}", status, outcome.Exception);
    }

    private static string Failure(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request, ModelOptions options) => outcome switch
    {
        { Result: { } response } => $"{(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}",
        { Exception: HttpRequestException ex } => $"cannot reach {request?.RequestUri?.Scheme}://{request?.RequestUri?.Host}:{request?.RequestUri?.Port} ({ex.HttpRequestError})",
        _ => $"no answer within {options.RequestTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s",
    };

    private static TimeSpan? RetryAfterMilliseconds(HttpResponseMessage? response) =>
        response is not null
        && response.Headers.TryGetValues("retry-after-ms", out var values)
        && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds)
        && milliseconds >= 0
            ? TimeSpan.FromMilliseconds(milliseconds)
            : null;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Model endpoint: {Failure} on {Path}; retry {Retry} of {MaxRetries} in {DelayMs:0} ms")]
    private static partial void LogRetrying(ILogger logger, string failure, string? path, int retry, int maxRetries, double delayMs);
}
