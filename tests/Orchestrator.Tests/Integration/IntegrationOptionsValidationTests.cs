using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orchestrator.Consumers;
using Orchestrator.Integration;

namespace Orchestrator.Tests.Integration;

public sealed class IntegrationOptionsValidationTests
{
    private const string GoodSecret = "0123456789abcdef-secret";

    [Theory]
    [InlineData("ftp://hooks.example.com/orchestrator", "Integration:Webhooks:ci:Url must be an absolute http:// or https:// URL")]
    [InlineData("/hooks/orchestrator", "Integration:Webhooks:ci:Url must be an absolute http:// or https:// URL")]
    [InlineData("file:///etc/passwd", "Integration:Webhooks:ci:Url must be an absolute http:// or https:// URL")]
    [InlineData("https://user:hunter2-password@hooks.example.com/", "Integration:Webhooks:ci:Url must not hold credentials")]
    public void A_url_that_is_not_plain_http_or_https_is_named_and_not_shown(string url, string expected)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(Webhook("ci", url, GoodSecret)));

        Assert.Contains(expected, exception.Message);
        Assert.DoesNotContain(url, exception.Message);
    }

    [Theory]
    [InlineData("ci", "", "Integration:Webhooks:ci:Secret is empty")]
    [InlineData("ci", "short-secret", "Integration:Webhooks:ci:Secret is too short")]
    [InlineData("no_underscores", GoodSecret, "Integration:Webhooks:no_underscores: a webhook's name")]
    public void A_missing_or_weak_secret_or_an_unusable_name_is_named_and_the_secret_never_shown(string name, string secret, string expected)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(Webhook(name, "https://hooks.example.com/x", secret)));

        Assert.Contains(expected, exception.Message);
        if (secret.Length > 0)
        {
            Assert.DoesNotContain(secret, exception.Message);
        }
    }

    [Theory]
    [InlineData("Integration:WebhookDelivery:MaxRetries", "11", "MaxRetries must be between 0 and 10")]
    [InlineData("Integration:WebhookDelivery:AttemptTimeout", "00:00:00", "AttemptTimeout must be between")]
    [InlineData("Integration:WebhookDelivery:RetryBaseDelay", "00:01:00", "RetryBaseDelay (00:01:00) must be at most RetryMaxDelay")]
    public void Delivery_bounds_out_of_range_are_refused(string setting, string value, string expected)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve([new(setting, value)]));

        Assert.Contains(expected, exception.Message);
    }

    [Fact]
    public void Webhooks_over_http_and_https_are_accepted_with_the_default_bounds()
    {
        var options = Resolve([.. Webhook("ci", "http://127.0.0.1:8080/hooks", GoodSecret), .. Webhook("chat-ops", "https://hooks.example.com/x?token=t", GoodSecret + "2")]);

        Assert.Equal(["chat-ops", "ci"], options.Webhooks.Keys.Order());
        Assert.Equal(4, options.WebhookDelivery.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(10), options.WebhookDelivery.AttemptTimeout);
    }

    [Fact]
    public async Task An_orchestrator_with_an_invalid_webhook_does_not_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Webhook("ci", "ftp://hooks.example.com/", GoodSecret));
        builder.Services.AddIntegrationOptions();
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Integration:Webhooks:ci:Url", exception.Message);
    }

    [Fact]
    public void Without_a_webhook_there_is_no_webhook_consumer_and_no_queue()
    {
        Assert.False(RegistersConsumer([]));
        Assert.True(RegistersConsumer(Webhook("ci", "https://hooks.example.com/x", GoodSecret)));
    }

    private static KeyValuePair<string, string?>[] Webhook(string name, string url, string secret) =>
        [new($"Integration:Webhooks:{name}:Url", url), new($"Integration:Webhooks:{name}:Secret", secret)];

    private static IntegrationOptions Resolve(KeyValuePair<string, string?>[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddIntegrationOptions();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<IntegrationOptions>>().Value;
    }

    private static bool RegistersConsumer(KeyValuePair<string, string?>[] settings)
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services.AddMassTransit(x => x.AddFeatureWebhooks(configuration));
        return services.Any(d => d.ServiceType == typeof(FeatureWebhookConsumer));
    }
}
