using System.Text.Json;
using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.Llm.Devices;

/// <summary>The devices' documents as a service other than the keeper reaches them: requests and events on the bus.</summary>
public sealed class BusModelDeviceStore(IBus bus) : IModelDeviceStore
{
    public async Task<ModelScript> ScriptAsync(string name, CancellationToken cancellationToken)
    {
        var json = Document(await bus.CreateRequestClient<GetModelScript>().GetResponse<ModelDeviceDocument>(new GetModelScript(name), cancellationToken));
        return ModelScriptParser.Parse(name, json);
    }

    public async Task<Cassette> RecordedCallsAsync(string cassette, string agent, CancellationToken cancellationToken)
    {
        var json = Document(await bus.CreateRequestClient<GetRecordedCalls>().GetResponse<ModelDeviceDocument>(new GetRecordedCalls(cassette, agent), cancellationToken));
        return CassetteLibrary.Parse(cassette, json);
    }

    public Task RecordAsync(Guid featureId, CassetteExchange exchange, CancellationToken cancellationToken) =>
        bus.Publish(new ModelCallRecorded(featureId, exchange.Agent, JsonSerializer.Serialize(exchange, CassetteJson.Line)), cancellationToken);

    private static string Document(Response<ModelDeviceDocument> response) =>
        response.Message.Json ?? throw new ModelDeviceException(response.Message.Error ?? $"'{response.Message.Name}' is not available.");
}
