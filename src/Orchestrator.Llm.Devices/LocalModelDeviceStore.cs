namespace Orchestrator.Llm.Devices;

/// <summary>The keeper's own store: the scripts and cassettes folders of <see cref="ModelDeviceOptions"/>.</summary>
public sealed class LocalModelDeviceStore(ScriptLibrary scripts, CassetteLibrary cassettes) : IModelDeviceStore
{
    public Task<ModelScript> ScriptAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(scripts.Load(name));

    public Task<Cassette> RecordedCallsAsync(string cassette, string agent, CancellationToken cancellationToken) =>
        Task.FromResult(cassettes.Load(cassette).OnlyAgent(agent));

    public Task RecordAsync(Guid featureId, CassetteExchange exchange, CancellationToken cancellationToken)
    {
        cassettes.Append(featureId, exchange);
        return Task.CompletedTask;
    }
}
