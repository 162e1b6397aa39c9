namespace Orchestrator.Messaging;

/// <summary>Queue names: one queue per role, shared by the services and the saga that sends to them.</summary>
public static class Queues
{
    public const string Planner = "planner";
    public const string Coder = "coder";
    public const string Tester = "tester";
    public const string Docs = "docs";
    public const string Reviewer = "reviewer";
    public const string Merge = "merge";

    /// <summary>Preparing a feature's work repository: quick, so it does not wait behind long consolidations.</summary>
    public const string MergePrepare = "merge-prepare";

    public static Uri Address(string queue) => new($"queue:{queue}");
}
