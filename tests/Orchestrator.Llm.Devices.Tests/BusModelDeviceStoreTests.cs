using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Contracts;
using Orchestrator.Llm.Devices.Consumers;

namespace Orchestrator.Llm.Devices.Tests;

/// <summary>
/// An agent service's devices reach the keeper's documents only over the bus: scripts and recorded calls are asked
/// for, recorded calls are published and kept — no shared folder. The keeper's consumers and the agent's store on one
/// in-memory bus.
/// </summary>
public sealed class BusModelDeviceStoreTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    private BusModelDeviceStore AgentSide => new(_harness.Bus);

    private CassetteLibrary Keeper => _provider.GetRequiredService<CassetteLibrary>();

    public async ValueTask InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Models:ScriptsPath"] = _temp.CreateDirectory("scripts"),
            ["Models:CassettesPath"] = _temp.CreateDirectory("cassettes"),
        }).Build();
        _provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddModelDeviceKeeper()
            .AddMassTransitTestHarness(TextWriter.Null, x =>
            {
                x.DisableUsageTelemetry();
                x.AddModelDeviceKeeperConsumers();
            })
            .BuildServiceProvider(validateScopes: true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start().WaitAsync(Eventually.DefaultTimeout, _ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.Stop(_ct);
        await _provider.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_script_is_served_from_the_keepers_folder()
    {
        _temp.WriteFile("scripts/hello.json", """{ "description": "greets", "agents": { "task-a": [ { "content": "Hello." } ] } }""");

        var script = await AgentSide.ScriptAsync("hello", _ct).WaitAsync(Eventually.DefaultTimeout, _ct);

        Assert.Equal(("hello", "greets"), (script.Name, script.Description));
        Assert.Equal("Hello.", Assert.Single(script.TurnsFor("task-a")).Content);
    }

    [Fact]
    public async Task A_missing_script_fails_with_the_keepers_reason()
    {
        var error = await Assert.ThrowsAsync<ModelDeviceException>(() => AgentSide.ScriptAsync("missing", _ct).WaitAsync(Eventually.DefaultTimeout, _ct));

        Assert.StartsWith("Scripted model: no script named 'missing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recorded_calls_reach_the_keeper_and_come_back_for_replay_one_agent_at_a_time()
    {
        var feature = Guid.NewGuid();
        await AgentSide.RecordAsync(feature, Exchange("task-a", "first"), _ct);
        await AgentSide.RecordAsync(feature, Exchange("task-b", "other"), _ct);
        await AgentSide.RecordAsync(feature, Exchange("task-a", "second"), _ct);
        await Eventually.TrueAsync(() => _harness.Consumed.ConsumedSoFar<ModelCallRecorded>() >= 3, "the keeper to take the three calls");
        await _harness.Bus.Publish(new FeatureCompleted(feature, new PullRequestInfo(1, "url", "head", "main", "repo", "local")), _ct);
        await Eventually.TrueAsync(() => Keeper.IsAssembled(feature), "the cassette to be assembled");

        var replay = await AgentSide.RecordedCallsAsync(feature.ToString("N"), "task-a", _ct).WaitAsync(Eventually.DefaultTimeout, _ct);

        Assert.Equal(["task-a"], replay.Agents.Keys);
        Assert.Equal([(1, "first"), (2, "second")], replay.ExchangesOf("task-a").Select(e => (e.Sequence, e.Response.Text)));
        Assert.Equal(2, Keeper.Load(feature.ToString("N")).Agents.Count);
    }

    [Fact]
    public async Task A_call_recorded_after_the_feature_ended_is_added_to_its_cassette()
    {
        var feature = Guid.NewGuid();
        await AgentSide.RecordAsync(feature, Exchange("task-a", "before"), _ct);
        await Eventually.TrueAsync(() => _harness.Consumed.ConsumedSoFar<ModelCallRecorded>() >= 1, "the keeper to take the call");
        await _harness.Bus.Publish(new FeatureFailed(feature, "a task failed"), _ct);
        await Eventually.TrueAsync(() => Keeper.IsAssembled(feature), "the cassette to be assembled");

        await AgentSide.RecordAsync(feature, Exchange("task-b", "late"), _ct);

        await Eventually.TrueAsync(() => Keeper.Load(feature.ToString("N")).Agents.ContainsKey("task-b"), "the late call in the cassette");
    }

    private static CassetteExchange Exchange(string agent, string answer) =>
        new(agent, 0, 1, 1, DateTimeOffset.UtcNow, "scripted:test",
            new CassetteRequest([new CassetteMessage("user", "Go.")], []),
            new CassetteResponse(answer, [], null, null, "stop"));
}
