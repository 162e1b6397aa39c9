namespace Orchestrator.Tests.Support;

/// <summary>
/// Waits on the real clock for something another thread or process makes true. Only the deadline ends a wait: never
/// "it has been quiet for a while", which on a loaded two-core machine says nothing about what is still running.
/// </summary>
internal static class Eventually
{
    /// <summary>Long enough for a git clone or a <c>dotnet build</c> on a busy CI machine; a passing test never waits it out.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>The first non-null value <paramref name="probe"/> returns; fails the test naming <paramref name="what"/> at the deadline.</summary>
    public static async Task<T> ValueAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var value = await TryValueAsync(() => Task.FromResult(probe()), timeout ?? DefaultTimeout);
        return value ?? throw new Xunit.Sdk.XunitException($"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s waiting for {what}.");
    }

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test naming <paramref name="what"/> at the deadline.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        if (!await TrueAsync(() => Task.FromResult(condition()), timeout ?? DefaultTimeout))
        {
            throw new Xunit.Sdk.XunitException($"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s waiting for {what}.");
        }
    }

    /// <summary>True once <paramref name="condition"/> holds, false at the deadline (for callers that build their own message).</summary>
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var found = await TryValueAsync(async () => await condition() ? new object() : null, timeout);
        return found is not null;
    }

    private static async Task<T?> TryValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout)
        where T : class
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return null;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
