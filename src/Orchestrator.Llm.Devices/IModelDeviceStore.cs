namespace Orchestrator.Llm.Devices;

/// <summary>
/// The devices' documents: the scripts, the cassettes, and the recordings of features being recorded. One service
/// keeps them (the orchestrator: <see cref="LocalModelDeviceStore"/>, files); the others reach them over the bus
/// (<see cref="BusModelDeviceStore"/>), so no service reads another's files.
/// </summary>
public interface IModelDeviceStore
{
    /// <summary>The named script; throws <see cref="ModelDeviceException"/> when there is none.</summary>
    Task<ModelScript> ScriptAsync(string name, CancellationToken cancellationToken);

    /// <summary>The named cassette with only <paramref name="agent"/>'s calls; throws <see cref="ModelDeviceException"/> when there is none.</summary>
    Task<Cassette> RecordedCallsAsync(string cassette, string agent, CancellationToken cancellationToken);

    /// <summary>Adds one model call to the recording of a feature (the keeper numbers it in arrival order).</summary>
    Task RecordAsync(Guid featureId, CassetteExchange exchange, CancellationToken cancellationToken);
}
