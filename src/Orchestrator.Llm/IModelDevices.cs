using Microsoft.Extensions.AI;
using Orchestrator.Contracts;

namespace Orchestrator.Llm;

/// <summary>
/// One conversation with a model: which feature, which agent (<see cref="Planner"/> or a task id), which run of that
/// agent (a task's attempt; 1 for the planner). Recordings and replays are matched on it.
/// </summary>
public sealed record ModelConversation(Guid FeatureId, string Agent, int Run)
{
    public const string Planner = "planner";

    /// <summary>
    /// The conversation in which this one's <paramref name="number"/>-th compaction is summarised: agent
    /// <c>&lt;agent&gt;/compaction-&lt;n&gt;</c> in the same run (a script gives it turns under that key).
    /// </summary>
    public ModelConversation Compaction(int number) => this with { Agent = $"{Agent}/compaction-{number}" };
}

/// <summary>
/// What stands in for a model or listens to one: the scripted model, the replay of a recorded feature, the recorder
/// (Orchestrator.Llm.Devices, demo and test devices). <see cref="ChatModelFactory"/> asks it before it calls a live model.
/// </summary>
public interface IModelDevices
{
    /// <summary>The client that plays the model <paramref name="model"/> names (a script, a cassette), or null when it names a live model.</summary>
    Task<IChatClient?> PlayerAsync(ModelSelection model, ModelConversation conversation, CancellationToken cancellationToken);

    /// <summary>Wraps a live or played client so every call of the conversation is recorded for the feature's cassette.</summary>
    IChatClient Recording(IChatClient client, ModelSelection model, ModelConversation conversation);
}
