using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;
using Orchestrator.Integration;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// The outgoing webhooks against a real HTTP receiver (Kestrel on 127.0.0.1): what is posted and signed, what is retried,
/// and that a receiver's failure stays with its notification.
/// </summary>
public sealed class FeatureWebhookSpecs
{
    private static readonly DateTimeOffset SubmittedAt = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly PullRequestInfo PullRequest = new(7, "https://github.com/acme/calculator/pull/7", "orchestrator/f", "main", "https://github.com/acme/calculator.git", "github");

    private readonly CapturingLoggerProvider _logs = new(TestContext.Current.TestOutputHelper);

    [Fact]
    public async Task A_completed_feature_is_posted_with_a_signature_the_receiver_can_check()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var h = await StartAsync(webhooks: ("ci", receiver.Url));
        var featureId = NewId.NextGuid();

        await h.PublishAsync(new FeatureCompleted(featureId, PullRequest) { SubmittedAt = SubmittedAt, EndedAt = SubmittedAt.AddMinutes(9) });

        var request = Assert.Single(await receiver.ReceivedAsync(1));
        // Computed here, as a receiver would, not with the sender's own code.
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SecretOf("ci")), request.Body));
        Assert.Equal(expected, request.Header("X-Orchestrator-Signature-256"));
        Assert.Equal("feature.completed", request.Header("X-Orchestrator-Event"));
        Assert.Equal(WebhookSignature.DeliveryId(featureId, "feature.completed", "ci"), Guid.Parse(request.Header("X-Orchestrator-Delivery")));
        Assert.StartsWith("application/json", request.Header("Content-Type"));

        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(featureId, body.GetProperty("featureId").GetGuid());
        Assert.Equal("Completed", body.GetProperty("state").GetString());
        Assert.Equal(PullRequest.Url, body.GetProperty("pullRequest").GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("reason").ValueKind);
        Assert.Equal(SubmittedAt, body.GetProperty("submittedAt").GetDateTimeOffset());
        Assert.Equal(SubmittedAt.AddMinutes(9), body.GetProperty("endedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_failed_feature_is_posted_with_its_reason_and_no_pull_request()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var h = await StartAsync(webhooks: ("ci", receiver.Url));

        await h.PublishAsync(new FeatureFailed(NewId.NextGuid(), "Task 'implement' (Coder) failed after 2 attempts: the build failed"));

        var request = Assert.Single(await receiver.ReceivedAsync(1));
        Assert.Equal("feature.failed", request.Header("X-Orchestrator-Event"));
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("Failed", body.GetProperty("state").GetString());
        Assert.Contains("the build failed", body.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("pullRequest").ValueKind);
        // From an orchestrator that sends no EndedAt: when the end was published.
        Assert.NotEqual(default, body.GetProperty("endedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_receiver_answering_503_gets_the_same_signed_notification_again_until_it_accepts_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync(503, 503, 200);
        await using var h = await StartAsync(webhooks: ("ci", receiver.Url));

        await h.PublishAsync(new FeatureCompleted(NewId.NextGuid(), PullRequest));

        var requests = await receiver.ReceivedAsync(3);
        await Eventually.TrueAsync(() => h.Harness.Consumed.ConsumedSoFar<FeatureCompleted>() == 1, "the notification to be delivered");
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(requests[0].Body, r.Body));
        Assert.Single(requests.Select(r => r.Header("X-Orchestrator-Signature-256")).Distinct());
        Assert.Single(requests.Select(r => r.Header("X-Orchestrator-Delivery")).Distinct());
        Assert.Empty(h.Harness.PublishedSoFar<Fault<FeatureCompleted>>());
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_in_time_is_asked_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.NoAnswer, 200);
        await using var h = await StartAsync(attemptTimeout: TimeSpan.FromSeconds(1), webhooks: ("ci", receiver.Url));

        await h.PublishAsync(new FeatureCompleted(NewId.NextGuid(), PullRequest));

        await receiver.ReceivedAsync(2);
        await Eventually.TrueAsync(() => _logs.Lines.Any(l => l.Contains("feature.completed of feature", StringComparison.Ordinal) && l.Contains("delivered")),
            "the delivery to be logged");
        Assert.Contains(_logs.Lines, l => l.Contains("Webhook ci: TimeoutRejectedException; retry 1 of 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refusal_is_not_retried_and_the_notification_goes_to_the_error_queue_naming_the_webhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync(401);
        await using var h = await StartAsync(webhooks: ("ci", receiver.Url));

        await h.PublishAsync(new FeatureCompleted(NewId.NextGuid(), PullRequest));

        var fault = await h.Harness.PublishedAsync<Fault<FeatureCompleted>>(_ => true);
        Assert.Single(receiver.Received);
        Assert.Contains("was not delivered to: ci (401 Unauthorized)", fault.Exceptions.Single().Message);
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_changes_nothing_for_the_feature_or_the_other_webhooks()
    {
        await using var failing = await WebhookReceiver.StartAsync(500);
        await using var working = await WebhookReceiver.StartAsync(200);
        await using var h = await StartAsync(webhooks: [("failing", failing.Url), ("working", working.Url)]);

        await CompleteFeatureAsync(h);

        var fault = await h.Harness.PublishedAsync<Fault<FeatureCompleted>>(f => f.Message.FeatureId == h.FeatureId);
        Assert.Equal(3, failing.Received.Count); // the first attempt and MaxRetries = 2
        Assert.Single(working.Received);
        Assert.Contains("failing (500 Internal Server Error after 2 retries)", fault.Exceptions.Single().Message);
        Assert.DoesNotContain("working", fault.Exceptions.Single().Message);
        Assert.Equal(nameof(Orchestrator.StateMachines.FeatureStateMachine.Completed), h.Instance!.CurrentState);
        Assert.Null(h.Instance.FailureReason);
        Assert.Single(h.Harness.PublishedSoFar<FeatureCompleted>());

        // The logs name the webhooks: never a secret, nor the URL (its query may hold a token).
        Assert.Contains(_logs.Lines, l => l.Contains("Webhook failing: 500 Internal Server Error; retry 1 of 2", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(SecretOf("failing"), StringComparison.Ordinal) || l.Contains(SecretOf("working"), StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("query-token-not-to-be-logged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_delivery_carries_no_trace_headers_though_the_consumer_runs_in_a_trace()
    {
        // Every activity source sampled, as under OpenTelemetry: MassTransit traces the consumer, HttpClient the request.
        using var tracing = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(tracing);
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var h = await StartAsync(webhooks: ("ci", receiver.Url));

        using (Baggage("orchestrator.conversation", "internal"))
        {
            await h.PublishAsync(new FeatureCompleted(NewId.NextGuid(), PullRequest));
        }

        var request = Assert.Single(await receiver.ReceivedAsync(1));
        string[] traceHeaders = ["traceparent", "tracestate", "baggage", "Request-Id", "Correlation-Context"];
        Assert.DoesNotContain(request.Headers.Keys, header => traceHeaders.Contains(header, StringComparer.OrdinalIgnoreCase));
    }

    private static Activity Baggage(string key, string value) => new Activity("publishing").AddBaggage(key, value).Start();

    private static string SecretOf(string webhook) => $"{webhook}-secret-0123456789abcdef";

    private Task<FeatureSagaHarness> StartAsync(TimeSpan? attemptTimeout = null, params (string Name, Uri Url)[] webhooks)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Integration:WebhookDelivery:MaxRetries"] = "2",
            ["Integration:WebhookDelivery:AttemptTimeout"] = (attemptTimeout ?? TimeSpan.FromSeconds(30)).ToString(),
            ["Integration:WebhookDelivery:RetryBaseDelay"] = "00:00:00.010",
            ["Integration:WebhookDelivery:RetryMaxDelay"] = "00:00:00.050",
        };
        foreach (var (name, url) in webhooks)
        {
            settings[$"Integration:Webhooks:{name}:Url"] = url.ToString();
            settings[$"Integration:Webhooks:{name}:Secret"] = SecretOf(name);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return FeatureSagaHarness.StartAsync(addToBus: (services, bus) =>
        {
            services.AddSingleton<IConfiguration>(configuration);
            // Registered last, so it wins over the harness's console logger.
            services.AddSingleton<ILoggerFactory>(new LoggerFactory([_logs]));
            bus.AddFeatureWebhooks(configuration);
        });
    }

    private static async Task CompleteFeatureAsync(FeatureSagaHarness h)
    {
        await h.SubmitAsync();
        await h.PlanAsync(Planned("implement", AgentRole.Coder));
        await h.PublishAsync(h.Completed("implement"));
        await h.WaitForStateAsync(s => s.Consolidating);
        await h.PublishAsync(new PullRequestOpened(h.FeatureId, PullRequest, new VerificationResult(true, "dotnet test", "Passed!")));
        await h.WaitForStateAsync(s => s.Completed);
    }
}
