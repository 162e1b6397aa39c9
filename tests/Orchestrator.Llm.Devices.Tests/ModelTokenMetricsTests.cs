using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Orchestrator.Contracts;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;

namespace Orchestrator.Llm.Devices.Tests;

/// <summary>The <c>orchestrator.tokens</c> counter, recorded at each model call the factory's clients make.</summary>
public sealed class ModelTokenMetricsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ServiceProvider _services;

    public ModelTokenMetricsTests()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Models:ScriptsPath"] = _temp.CreateDirectory("scripts"),
                ["Models:CassettesPath"] = _temp.CreateDirectory("cassettes"),
            })
            .Build();
        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddOrchestratorModels()
            .AddModelDeviceKeeper()
            .BuildServiceProvider();
    }

    public void Dispose()
    {
        _services.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Each_call_of_the_scripted_model_counts_its_input_and_output_tokens_under_a_scripted_model_tag()
    {
        var ct = TestContext.Current.CancellationToken;
        _temp.WriteFile("scripts/demo-power.json", """{ "agents": { "task-a": [ { "content": "a summary of twenty-eight chars" } ] } }""");
        var model = _services.GetRequiredService<ModelDeviceSelection>().Script("demo-power");
        using var tokens = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), ModelTokenMetrics.MeterName, ModelTokenMetrics.TokensName);
        var meter = new UsageMeter();

        using var client = await _services.GetRequiredService<ChatModelFactory>()
            .CreateAsync(model, new ModelConversation(Guid.Empty, "task-a", 1), meter, ct);
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Add a Power method, please.")], cancellationToken: ct);

        var measurements = tokens.GetMeasurementSnapshot();
        Assert.All(measurements, m => Assert.Equal("scripted:demo-power", m.Tags["model"]));
        Assert.Equal(meter.Total.InputTokens, measurements.Where(m => Equals(m.Tags["direction"], "input")).Sum(m => m.Value));
        Assert.Equal(meter.Total.OutputTokens, measurements.Where(m => Equals(m.Tags["direction"], "output")).Sum(m => m.Value));
        Assert.True(meter.Total.InputTokens > 0 && meter.Total.OutputTokens > 0, $"the scripted model reported {meter.Total}");
    }

    [Theory]
    [InlineData("openai:gpt-4o-mini", "openai:gpt-4o-mini")]
    [InlineData("scripted:demo-power (scripted demo model, not an AI)", "scripted:demo-power")]
    [InlineData("replay:run-1 (recorded run, not a live model)", "replay:run-1")]
    public void The_model_tag_is_the_label_without_its_explanation(string description, string tag) =>
        Assert.Equal(tag, ModelTokenMetrics.ModelTag(new ModelSelection(null, description)));

    [Fact]
    public void A_call_that_reports_no_usage_counts_nothing()
    {
        using var tokens = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), ModelTokenMetrics.MeterName, ModelTokenMetrics.TokensName);

        _services.GetRequiredService<ModelTokenMetrics>().Record("openai:gpt-4o-mini", null);
        _services.GetRequiredService<ModelTokenMetrics>().Record("openai:gpt-4o-mini", new UsageDetails { InputTokenCount = 7 });

        var only = Assert.Single(tokens.GetMeasurementSnapshot());
        Assert.Equal((7L, "input"), (only.Value, only.Tags["direction"]));
    }
}
