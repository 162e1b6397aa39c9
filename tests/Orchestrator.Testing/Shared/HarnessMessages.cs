using MassTransit;
using MassTransit.Testing;

namespace Orchestrator.Tests.Support;

/// <summary>
/// Reads MassTransit's test harness without its inactivity rule. The harness's own waits (<c>SelectAsync</c>,
/// <c>Any</c>, a fully enumerated <c>Select</c>, <c>InactivityTask</c>) end as soon as the harness decides the bus is
/// idle — which it may do while a consumer is still busy in git — and once it has decided, every later wait returns at
/// once. These read what has been sent, published or consumed so far, and wait for an outcome on the real clock.
/// </summary>
internal static class HarnessMessages
{
    // A cancelled token makes the harness lists return what they hold now, without waiting.
    private static readonly CancellationToken Now = new(canceled: true);

    public static IReadOnlyList<T> PublishedSoFar<T>(this ITestHarness harness)
        where T : class =>
        harness.Published.Select<T>(Now).Select(m => m.Context.Message).ToList();

    public static IReadOnlyList<T> SentSoFar<T>(this ITestHarness harness)
        where T : class =>
        harness.Sent.Select<T>(Now).Select(m => m.Context.Message).ToList();

    public static IReadOnlyList<object> PublishedSoFar(this ITestHarness harness) =>
        harness.Published.Select(_ => true, Now).Select(m => m.MessageObject).ToList();

    /// <summary>How many messages of type T were consumed successfully so far (attempts that threw are not counted).</summary>
    public static int ConsumedSoFar<T>(this IReceivedMessageList consumed)
        where T : class =>
        consumed.Select<T>(Now).Count(m => m.Exception is null);

    /// <summary>The first published T matching <paramref name="match"/>, waiting for it up to the timeout.</summary>
    public static Task<T> PublishedAsync<T>(this ITestHarness harness, Func<T, bool> match, TimeSpan? timeout = null)
        where T : class =>
        Eventually.ValueAsync(() => harness.PublishedSoFar<T>().FirstOrDefault(match), $"a published {typeof(T).Name}", timeout);

    /// <summary>The first sent T matching <paramref name="match"/>, waiting for it up to the timeout.</summary>
    public static Task<T> SentAsync<T>(this ITestHarness harness, Func<T, bool> match, TimeSpan? timeout = null)
        where T : class =>
        Eventually.ValueAsync(() => harness.SentSoFar<T>().FirstOrDefault(match), $"a sent {typeof(T).Name}", timeout);

    /// <summary>
    /// The <paramref name="occurrence"/>-th published message that <paramref name="concerns"/> selects (outcomes and
    /// faults of one piece of work), waiting for it up to the timeout; a <see cref="Fault"/> among them fails the test.
    /// </summary>
    public static async Task<object> OutcomeAsync(this ITestHarness harness, Func<object, bool> concerns, string what, int occurrence = 1, TimeSpan? timeout = null)
    {
        var outcomes = await Eventually.ValueAsync(() =>
        {
            var published = harness.PublishedSoFar().Where(concerns).ToList();
            return published.Count >= occurrence || published.OfType<Fault>().Any() ? published : null;
        }, $"outcome {occurrence} of {what}", timeout);

        if (outcomes.OfType<Fault>().FirstOrDefault() is { } fault)
        {
            throw new Xunit.Sdk.XunitException(
                $"The consumer faulted on {what}: {string.Join("; ", fault.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}"))}");
        }

        return outcomes[occurrence - 1];
    }
}
