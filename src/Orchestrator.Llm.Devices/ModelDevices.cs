using Microsoft.Extensions.AI;
using Orchestrator.Contracts;

namespace Orchestrator.Llm.Devices;

/// <summary>The devices behind <see cref="IModelDevices"/>: the scripted model, replay and the recorder, over a <see cref="IModelDeviceStore"/>.</summary>
public sealed class ModelDevices(IModelDeviceStore store) : IModelDevices
{
    public async Task<IChatClient?> PlayerAsync(ModelSelection model, ModelConversation conversation, CancellationToken cancellationToken)
    {
        if (model.Replay is { } cassette)
        {
            return new ReplayChatClient(await store.RecordedCallsAsync(cassette, conversation.Agent, cancellationToken), conversation);
        }

        return model.Script is { } script
            ? new ScriptedChatClient(await store.ScriptAsync(script, cancellationToken), conversation.Agent)
            : null;
    }

    public IChatClient Recording(IChatClient client, ModelSelection model, ModelConversation conversation) =>
        new RecordingChatClient(client, store, conversation, model.Description);
}
