using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace Orchestrator.Integration;

/// <summary>
/// POSTs signed notifications to the configured webhooks through one long-lived client: each attempt bounded by
/// <see cref="WebhookDeliveryOptions.AttemptTimeout"/>, 408/429/5xx, network errors and timeouts retried with backoff
/// (<see cref="WebhookDeliveryOptions.MaxRetries"/>); anything else is a refusal and not retried. Logs name the webhook,
/// never its URL or secret.
/// </summary>
/// <remarks>
/// Not a client from <c>IHttpClientFactory</c>: the service defaults give every factory client the standard resilience
/// handler and service discovery, and a receiver is neither a service of ours nor to be retried on those terms.
/// </remarks>
public sealed partial class WebhookSender : IDisposable
{
    private static readonly HttpRequestOptionsKey<string> WebhookName = new("Orchestrator.Webhook");

    private readonly HttpClient _http;
    private readonly WebhookDeliveryOptions _delivery;
    private readonly ILogger<WebhookSender> _logger;

    public WebhookSender(IOptions<IntegrationOptions> options, ILogger<WebhookSender> logger)
    {
        _delivery = options.Value.WebhookDelivery;
        _logger = logger;
        var transport = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            // The receiver is outside the system: the internal trace context and baggage (message conversation ids) stay in.
            ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
            // A redirect would take the signed notification somewhere nobody configured.
            AllowAutoRedirect = false,
        };
        _http = new HttpClient(new ResilienceHandler(Pipeline()) { InnerHandler = transport })
        {
            Timeout = Timeout.InfiniteTimeSpan, // per attempt, in the pipeline
        };
    }

    /// <summary>Delivers <paramref name="body"/> to one webhook; null when it was accepted (2xx), else why not.</summary>
    public async Task<string?> DeliverAsync(
        string webhookName, WebhookTarget target, FeatureEndedNotification notification, byte[] body, CancellationToken cancellationToken)
    {
        var deliveryId = WebhookSignature.DeliveryId(notification.FeatureId, notification.Event, webhookName);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Orchestrator-Webhook", "1"));
        request.Headers.Add(WebhookSignature.EventHeader, notification.Event);
        request.Headers.Add(WebhookSignature.DeliveryHeader, deliveryId.ToString());
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(target.Secret!, body));
        request.Options.Set(WebhookName, webhookName);

        string? failure;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            // A refusal (a wrong signature, an unknown path) is the receiver's answer and was not asked again.
            failure = response.IsSuccessStatusCode ? null
                : $"{(int)response.StatusCode} {response.ReasonPhrase}{(HttpClientResiliencePredicates.IsTransient(Outcome.FromResult(response)) ? AfterRetries : string.Empty)}";
        }
        catch (HttpRequestException ex)
        {
            failure = $"the receiver could not be reached ({ex.HttpRequestError}){AfterRetries}";
        }
        catch (TimeoutRejectedException)
        {
            failure = $"no answer within {_delivery.AttemptTimeout}{AfterRetries}";
        }

        if (failure is null)
        {
            LogDelivered(_logger, webhookName, notification.Event, notification.FeatureId, deliveryId);
        }
        else
        {
            LogNotDelivered(_logger, webhookName, notification.Event, notification.FeatureId, failure, deliveryId);
        }

        return failure;
    }

    private string AfterRetries => _delivery.MaxRetries switch
    {
        0 => string.Empty,
        1 => " after 1 retry",
        var retries => $" after {retries} retries",
    };

    public void Dispose() => _http.Dispose();

    // On the real clock: what is waited for is a real receiver, also in the tests.
    private ResiliencePipeline<HttpResponseMessage> Pipeline()
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        // Polly refuses a retry strategy without retries.
        if (_delivery.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = _delivery.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _delivery.RetryBaseDelay,
                MaxDelay = _delivery.RetryMaxDelay,
                // A receiver's Retry-After could hold the delivery for as long as it likes: the bound is ours.
                ShouldRetryAfterHeader = false,
                OnRetry = args =>
                {
                    var name = args.Context.GetRequestMessage()?.Options.TryGetValue(WebhookName, out var webhook) == true ? webhook : "?";
                    var failure = args.Outcome.Result is { } response ? $"{(int)response.StatusCode} {response.ReasonPhrase}"
                        : args.Outcome.Exception?.GetType().Name ?? "failure";
                    LogRetrying(_logger, name, failure, args.AttemptNumber + 1, _delivery.MaxRetries, args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.AddTimeout(_delivery.AttemptTimeout).Build();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Webhook}: {Event} of feature {FeatureId} delivered, delivery {DeliveryId}")]
    private static partial void LogDelivered(ILogger logger, string webhook, string @event, Guid featureId, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Webhook}: {Failure}; retry {Retry} of {MaxRetries} in {DelayMs:0} ms")]
    private static partial void LogRetrying(ILogger logger, string webhook, string failure, int retry, int maxRetries, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Webhook}: {Event} of feature {FeatureId} not delivered: {Failure}, delivery {DeliveryId}")]
    private static partial void LogNotDelivered(ILogger logger, string webhook, string @event, Guid featureId, string failure, Guid deliveryId);
}
