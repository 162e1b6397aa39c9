namespace Orchestrator.Contracts;

// The demo and test devices that stand in for a model (the scripted model, replay) or listen to one (the recorder)
// keep their documents in one service, the orchestrator; the agent services ask it for them over the bus.

/// <summary>Asks for a scripted-model script (answered with a <see cref="ModelDeviceDocument"/>).</summary>
public sealed record GetModelScript(string Name);

/// <summary>Asks for one agent's recorded calls of a cassette, to replay them (answered with a <see cref="ModelDeviceDocument"/>).</summary>
public sealed record GetRecordedCalls(string Cassette, string Agent);

/// <summary>The document asked for, as JSON, or why there is none.</summary>
public sealed record ModelDeviceDocument(string Name, string? Json, string? Error);

/// <summary>One model call of a feature being recorded (<see cref="ModelSelection.Record"/>), as a JSON cassette exchange.</summary>
public sealed record ModelCallRecorded(Guid FeatureId, string Agent, string Exchange);
