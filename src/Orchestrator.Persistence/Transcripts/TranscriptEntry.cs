namespace Orchestrator.Persistence.Transcripts;

/// <summary>
/// One stored step of a task's transcript: a model turn or a tool call of one attempt. Its identity is (feature, task,
/// attempt, sequence); a step delivered twice is stored once.
/// </summary>
/// <param name="Kind"><c>model</c> or <c>tool</c>.</param>
public sealed record TranscriptEntry(
    Guid FeatureId,
    string TaskId,
    int Attempt,
    int Sequence,
    DateTimeOffset At,
    string Kind,
    string Name,
    string Summary,
    string? Result,
    bool Ok,
    long DurationMs,
    long? InputTokens,
    long? OutputTokens);
