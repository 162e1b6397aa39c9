namespace Orchestrator.Cli.Api;

/// <summary>The feature and task state names the API uses.</summary>
internal static class FeatureStates
{
    public const string Completed = "Completed";
    public const string Failed = "Failed";
    public const string Cancelled = "Cancelled";
    public const string Consolidating = "Consolidating";
    public const string AwaitingApproval = "AwaitingApproval";
    public const string AwaitingBudget = "AwaitingBudget";

    public const string TaskPending = "Pending";
    public const string TaskQueued = "Queued";
    public const string TaskRunning = "Running";
    public const string TaskCompleted = "Completed";
    public const string TaskFailed = "Failed";

    /// <summary>A feature in a final state never changes again, so watching it can stop.</summary>
    public static bool IsFinal(string state) =>
        Is(state, Completed) || Is(state, Failed) || Is(state, Cancelled);

    /// <summary>The feature waits for someone to approve its plan or a larger budget (or reject it): watching goes on.</summary>
    public static bool IsAwaitingApproval(string? state) =>
        Is(state, AwaitingApproval) || Is(state, AwaitingBudget);

    // Case-insensitive so a server that serialises enums differently is still understood.
    public static bool Is(string? state, string expected) =>
        string.Equals(state, expected, StringComparison.OrdinalIgnoreCase);
}
