using MassTransit;
using MassTransit.RabbitMqTransport;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Contracts = Orchestrator.Contracts;

namespace PullRequestNotifier.Tests;

/// <summary>
/// The notifier on MassTransit's in-memory harness, fed the Orchestrator's own message types (not the sample's
/// declarations): what it reads of them and what it writes.
/// </summary>
public sealed class FeatureOutcomeConsumerSpecs : IAsyncDisposable
{
    private static readonly Contracts.PullRequestInfo PullRequest =
        new(7, "https://github.com/acme/calculator/pull/7", "orchestrator/3f2a", "main", "https://github.com/acme/calculator.git", "github");

    private readonly TempDirectory _folder = new();
    private readonly ServiceProvider _provider;
    private readonly ITestHarness _harness;

    public FeatureOutcomeConsumerSpecs()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection([new("Notifier:OutputFile", _folder.Combine("pull-requests.log"))])
            .Build());
        services.AddNotifierServices();
        services.AddMassTransitTestHarness(x =>
        {
            x.DisableUsageTelemetry();
            x.AddFeatureOutcomeConsumer("pull-request-notifier");
            x.UsingInMemory((context, bus) =>
            {
                // The in-memory transport names exchanges by URN, RabbitMQ by namespace and type: routed here as on
                // RabbitMQ, where the sample's [EntityName] is what makes the Orchestrator's events reach its queue.
                bus.MessageTopology.SetEntityNameFormatter(new MessageNameFormatterEntityNameFormatter(new RabbitMqMessageNameFormatter()));
                bus.ConfigureEndpoints(context);
            });
        });
        _provider = services.BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
    }

    private string LogFile => _folder.Combine("pull-requests.log");

    [Fact]
    public async Task Writes_a_line_for_a_pull_request_the_orchestrator_opened()
    {
        await _harness.Start().WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);
        var featureId = NewId.NextGuid();

        // The Orchestrator's message has more than the sample declares (forge, repository, summary, exit code): ignored.
        await _harness.Bus.Publish(new Contracts.PullRequestOpened(featureId, PullRequest,
            new Contracts.VerificationResult(true, "dotnet test --nologo", "Passed!  - Failed: 0, Passed: 22") { ExitCode = 0, Sandboxed = true }),
            TestContext.Current.CancellationToken);

        var line = Assert.Single(await LinesAsync(1));
        Assert.Equal($"{featureId} pull-request #7 {PullRequest.Url} (orchestrator/3f2a -> main; verified: dotnet test --nologo passed)", line);
    }

    [Fact]
    public async Task A_pull_request_announced_twice_is_written_once()
    {
        await _harness.Start().WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);
        var opened = new Contracts.PullRequestOpened(NewId.NextGuid(), PullRequest, new Contracts.VerificationResult(false, "(none)", "no test command") { Ran = false });

        await _harness.Bus.Publish(opened, TestContext.Current.CancellationToken);
        await _harness.Bus.Publish(opened, TestContext.Current.CancellationToken);

        await Eventually.TrueAsync(() => _harness.Consumed.ConsumedSoFar<PullRequestOpened>() == 2, "both deliveries to be consumed");
        var line = Assert.Single(await LinesAsync(1));
        Assert.EndsWith("(orchestrator/3f2a -> main; not verified)", line);
    }

    [Fact]
    public async Task Writes_a_failed_feature_with_its_reason_on_one_line()
    {
        await _harness.Start().WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);
        var featureId = NewId.NextGuid();

        await _harness.Bus.Publish(new Contracts.FeatureFailed(featureId, "Verification of the merged branch still fails: `dotnet test`\nFailed PowerTests\r\n  Expected 1"),
            TestContext.Current.CancellationToken);

        var line = Assert.Single(await LinesAsync(1));
        Assert.Equal($"{featureId} failed Verification of the merged branch still fails: `dotnet test` Failed PowerTests Expected 1", line);
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        _folder.Dispose();
    }

    private Task<string[]> LinesAsync(int count) =>
        Eventually.ValueAsync(() => File.Exists(LogFile) && File.ReadAllLines(LogFile) is { } lines && lines.Length >= count ? lines : null,
            $"{count} lines in the notifier's file");
}
