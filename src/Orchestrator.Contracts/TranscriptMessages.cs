namespace Orchestrator.Contracts;

/// <summary>What one step of a task's transcript was.</summary>
public enum TaskStepKind
{
    /// <summary>One call to the model: what it answered or which tools it asked for.</summary>
    Model,

    /// <summary>One tool call the model asked for: its arguments and its result, summarised.</summary>
    Tool,
}

/// <summary>
/// One step of a task attempt — a model turn or a tool call — published by the agent as it happens (straight to the
/// bus, not through the consume context's outbox), and kept by the orchestrator as the task's transcript. Summaries are
/// bounded and scrubbed of anything that looks like a credential before they leave the agent.
/// </summary>
/// <param name="Sequence">1, 2, 3, … within the attempt: the step's place, and with the attempt its identity.</param>
/// <param name="Name">The model's id for a model turn; the tool's name for a tool call.</param>
/// <param name="Summary">What the model said or asked for; for a tool call, its arguments.</param>
/// <param name="Result">A tool call's result; null for a model turn.</param>
/// <param name="Ok">False when the call failed (the model call threw, or the tool answered an error).</param>
/// <param name="InputTokens">A model turn's input tokens, when the model reported them.</param>
/// <param name="OutputTokens">A model turn's output tokens, when the model reported them.</param>
/// <param name="At">When the step began, by the agent's clock.</param>
public sealed record TaskStepRecorded(
    Guid FeatureId,
    string TaskId,
    int Attempt,
    int Sequence,
    TaskStepKind Kind,
    string Name,
    string Summary,
    string? Result,
    bool Ok,
    TimeSpan Duration,
    long? InputTokens,
    long? OutputTokens,
    DateTimeOffset At);
