namespace Orchestrator.Persistence;

/// <summary>
/// Which saga instances to read, by their current state (the indexed <c>current_state</c> column): those in one of
/// <see cref="InStates"/>, or those in none of <see cref="NotInStates"/>. No filter reads every instance.
/// </summary>
public sealed record SagaStateFilter(IReadOnlyList<string>? InStates = null, IReadOnlyList<string>? NotInStates = null)
{
    public static SagaStateFilter All { get; } = new();

    public static SagaStateFilter In(params IReadOnlyList<string> states) => new(InStates: states);

    public static SagaStateFilter NotIn(params IReadOnlyList<string> states) => new(NotInStates: states);
}
