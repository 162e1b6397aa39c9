using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Orchestrator.Llm.Devices;

/// <summary>
/// A chat client that answers from something prepared (a script, a recorded cassette) instead of a model. Streaming
/// is the whole answer as updates; the metadata names the provider so the answer is never mistaken for a live model's.
/// </summary>
public abstract class PlayedChatClient : IChatClient
{
    /// <summary>The provider name in <see cref="ChatClientMetadata"/> (e.g. "scripted", "replay").</summary>
    protected abstract string Provider { get; }

    public abstract string ModelId { get; }

    public abstract Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(Provider, null, ModelId)
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => GC.SuppressFinalize(this);
}
