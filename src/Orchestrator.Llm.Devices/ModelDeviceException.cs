namespace Orchestrator.Llm.Devices;

/// <summary>
/// A device that stands in for a model (the scripted model, the replay of a cassette) cannot go on: a missing script,
/// cassette, agent or turn, or a replayed call that differs from the recording. The message says which.
/// </summary>
public class ModelDeviceException(string message) : Exception(message);
