using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Orchestrator.Llm;

/// <summary>One call to the model, as seen between the tool loop and the model: what it answered, or why it failed.</summary>
/// <param name="At">When the call began.</param>
/// <param name="Response">The model's answer; null when the call failed.</param>
/// <param name="Error">Why the call failed (the endpoint, the call limit, the budget); null when it answered.</param>
public sealed record ModelTurn(DateTimeOffset At, TimeSpan Duration, ChatResponse? Response, Exception? Error);

/// <summary>Told about every model call of one conversation (a task's transcript listens here).</summary>
public interface IModelTurnObserver
{
    /// <summary>Called once per call, after it ended; must not throw and should not block.</summary>
    void Observe(ModelTurn turn);
}

/// <summary>
/// Reports each call that passes through to an <see cref="IModelTurnObserver"/>: it sits inside the function-invoking
/// client, so every round of the tool loop is one turn, and outside the usage meter, so a call the meter stops is a
/// failed turn with the meter's reason.
/// </summary>
public sealed class ModelTurnReportingChatClient(IChatClient inner, IModelTurnObserver observer, TimeProvider time) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var at = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken);
            observer.Observe(new ModelTurn(at, clock.Elapsed, response, null));
            return response;
        }
        catch (Exception ex)
        {
            observer.Observe(new ModelTurn(at, clock.Elapsed, null, ex));
            throw;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var at = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var updates = new List<ChatResponseUpdate>();
        await using var stream = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            ChatResponseUpdate update;
            try
            {
                if (!await stream.MoveNextAsync())
                {
                    break;
                }

                update = stream.Current;
            }
            catch (Exception ex)
            {
                observer.Observe(new ModelTurn(at, clock.Elapsed, null, ex));
                throw;
            }

            updates.Add(update);
            yield return update;
        }

        observer.Observe(new ModelTurn(at, clock.Elapsed, updates.ToChatResponse(), null));
    }
}
