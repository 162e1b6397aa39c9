using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Orchestrator.Llm.Context;

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

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var conversation = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        // Call n of a conversation has n - 1 assistant turns in it (compacted ones count): played devices are stateless and deterministic.
        var call = CompactedTurns.CallNumber(conversation);
        return Task.FromResult(Play(conversation, options, call));
    }

    /// <summary>The prepared answer to call <paramref name="call"/> (1-based) of the conversation.</summary>
    protected abstract ChatResponse Play(IReadOnlyCollection<ChatMessage> conversation, ChatOptions? options, int call);

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
