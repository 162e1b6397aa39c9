using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Llm;

/// <summary>
/// Retries requests to the <c>llm</c> endpoint that failed for a passing reason (429, 500, 502, 503, 504, network
/// errors, timeouts) with exponential backoff and jitter, honouring <c>Retry-After</c>/<c>retry-after-ms</c>, at most
/// <see cref="ModelOptions.MaxRetries"/> times; then throws <see cref="ModelEndpointException"/>. Each attempt has its
/// own <see cref="ModelOptions.RequestTimeout"/>; the caller's cancellation stops an attempt or a wait at once.
/// </summary>
/// <remarks>
/// This replaces both the OpenAI SDK's own retry policy (turned off where the client is made) and the standard
/// resilience handler of the service defaults (whose 10 s attempt timeout would cut every real generation short):
/// one place, one bound.
/// </remarks>
internal sealed partial class ModelEndpointRetryHandler(ModelOptions options, TimeProvider time, ILogger logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            // The body is sent again on a retry.
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        for (var retry = 0; ; retry++)
        {
            string failure;
            HttpStatusCode? status = null;
            TimeSpan? retryAfter = null;
            Exception? error = null;
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attempt.CancelAfter(options.RequestTimeout);
                try
                {
                    var response = await base.SendAsync(request, attempt.Token);
                    if (!IsTransient(response.StatusCode))
                    {
                        return await ReadAsync(response, attempt.Token);
                    }

                    status = response.StatusCode;
                    retryAfter = RetryAfter(response);
                    failure = $"{(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}";
                    response.Dispose();
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = $"no answer within {options.RequestTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
                    error = ex;
                }
                catch (HttpRequestException ex)
                {
                    failure = $"cannot reach {request.RequestUri?.GetLeftPart(UriPartial.Authority)} ({ex.HttpRequestError})";
                    error = ex;
                }
            }

            if (retry >= options.MaxRetries)
            {
                var retries = retry == 1 ? "1 retry" : $"{retry} retries";
                throw new ModelEndpointException($"the model endpoint failed: {failure} after {retries}", status, error);
            }

            var delay = Delay(retry, retryAfter);
            LogRetrying(logger, failure, request.RequestUri?.AbsolutePath, retry + 1, options.MaxRetries, delay.TotalMilliseconds);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    // A complete answer is read within the attempt's timeout; a streamed one may take long as a whole, so there the
    // timeout bounds each pause instead.
    private async Task<HttpResponseMessage> ReadAsync(HttpResponseMessage response, CancellationToken attempt)
    {
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            var stream = await response.Content.ReadAsStreamAsync(attempt);
            var content = new StreamContent(new IdleTimeoutStream(stream, options.RequestTimeout));
            foreach (var header in response.Content.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = content;
            return response;
        }

        await response.Content.LoadIntoBufferAsync(attempt);
        return response;
    }

    private TimeSpan Delay(int retry, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
        {
            return asked < options.RetryMaxDelay ? asked : options.RetryMaxDelay;
        }

        // Exponential with jitter (50-100 %), so instances throttled together do not come back together.
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 16));
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble() * 0.5));
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        // OpenAI and Azure send retry-after-ms alongside the standard header; it is the more precise.
        if (response.Headers.TryGetValues("retry-after-ms", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds)
            && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } when delta >= TimeSpan.Zero => delta,
            { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Model endpoint: {Failure} on {Path}; retry {Retry} of {MaxRetries} in {DelayMs:0} ms")]
    private static partial void LogRetrying(ILogger logger, string failure, string? path, int retry, int maxRetries, double delayMs);
}
