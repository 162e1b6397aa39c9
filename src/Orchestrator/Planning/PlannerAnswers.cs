using System.Collections.Concurrent;

namespace Orchestrator.Planning;

/// <summary>
/// The planner's answer (<c>FeaturePlanned</c> or <c>FeaturePlanRejected</c>) for each feature this process planned.
/// The saga asks for a plan once per feature, so a <c>PlanFeature</c> that arrives again (a lost acknowledgement, a
/// duplicate) gets the first answer published again — the saga keeps the first plan it got — instead of a second
/// model run that would spend the tokens again. A duplicate that arrives while the first is still planning waits
/// for its answer. A run that ends without an answer (the service stopping) is forgotten, so a redelivery plans.
/// Held in memory: another instance, or this one after a restart, plans again, and the saga still keeps one plan.
/// </summary>
public sealed class PlannerAnswers(TimeProvider time)
{
    /// <summary>How long an answer is kept: far longer than a redelivery takes, short enough to keep memory small.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<Guid, Answer> _answers = new();

    private sealed record Answer(Task<object> Message, DateTimeOffset Since);

    /// <summary>
    /// The answer for <paramref name="featureId"/>: the one given before (<c>Repeated</c>), or what
    /// <paramref name="plan"/> answers now.
    /// </summary>
    public async Task<(object Message, bool Repeated)> GetOrPlanAsync(Guid featureId, Func<Task<object>> plan, CancellationToken cancellationToken)
    {
        Forget(time.GetUtcNow() - Retention);
        var mine = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = _answers.GetOrAdd(featureId, _ => new Answer(mine.Task, time.GetUtcNow()));
        if (answer.Message != mine.Task)
        {
            try
            {
                return (await answer.Message.WaitAsync(cancellationToken), true);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The first run ended without an answer; this delivery plans.
                return (await plan(), false);
            }
        }

        try
        {
            var message = await plan();
            mine.SetResult(message);
            return (message, false);
        }
        catch (Exception ex)
        {
            _answers.TryRemove(new KeyValuePair<Guid, Answer>(featureId, answer));
            mine.SetException(ex);
            throw;
        }
    }

    private void Forget(DateTimeOffset before)
    {
        foreach (var (featureId, answer) in _answers)
        {
            if (answer.Since < before)
            {
                _answers.TryRemove(new KeyValuePair<Guid, Answer>(featureId, answer));
            }
        }
    }
}
