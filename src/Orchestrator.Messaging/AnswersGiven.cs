using System.Collections.Concurrent;

namespace Orchestrator.Messaging;

/// <summary>
/// The answers a consumer gave, by the request they answered, kept in this process for a while. A request delivered
/// again (a lost acknowledgement, a duplicate) gets its first answer published again instead of the work being done
/// twice: the tokens spent again, the pull request branch moved off the commit the feature completed with. A delivery
/// that arrives while the first is still working waits for its answer. Work that ends without an answer (the service
/// stopping, an exception) is forgotten, so a redelivery does it. Held in memory: another instance, or this one after
/// a restart, does the work again, so whoever receives the answers still takes a repeated one once (the saga does).
/// </summary>
public abstract class AnswersGiven<TKey, TAnswer>(TimeProvider time)
    where TKey : notnull
    where TAnswer : class
{
    /// <summary>How long an answer is kept: far longer than a redelivery takes, short enough to keep memory small.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<TKey, Answer> _answers = new();

    private sealed record Answer(Task<TAnswer> Message, DateTimeOffset Since);

    /// <summary>The answer to <paramref name="request"/>: the one given before (<c>Repeated</c>), or what <paramref name="work"/> answers now.</summary>
    public async Task<(TAnswer Answer, bool Repeated)> GetOrAnswerAsync(TKey request, Func<Task<TAnswer>> work, CancellationToken cancellationToken)
    {
        Forget(time.GetUtcNow() - Retention);
        var mine = new TaskCompletionSource<TAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = _answers.GetOrAdd(request, _ => new Answer(mine.Task, time.GetUtcNow()));
        if (answer.Message != mine.Task)
        {
            try
            {
                return (await answer.Message.WaitAsync(cancellationToken), true);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The first delivery ended without an answer; this one does the work.
                return (await work(), false);
            }
        }

        try
        {
            var given = await work();
            mine.SetResult(given);
            return (given, false);
        }
        catch (Exception ex)
        {
            _answers.TryRemove(new KeyValuePair<TKey, Answer>(request, answer));
            mine.SetException(ex);
            throw;
        }
    }

    private void Forget(DateTimeOffset before)
    {
        foreach (var (request, answer) in _answers)
        {
            if (answer.Since < before)
            {
                _answers.TryRemove(new KeyValuePair<TKey, Answer>(request, answer));
            }
        }
    }
}
