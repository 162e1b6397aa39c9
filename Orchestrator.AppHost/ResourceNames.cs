namespace Orchestrator.AppHost;

/// <summary>The Aspire resource names; tests and scripts address the services by these.</summary>
public static class ResourceNames
{
    public const string Messaging = "messaging";
    public const string Orchestrator = "orchestrator";
    public const string Coder = "coder";
    public const string Tester = "tester";
    public const string Docs = "docs";
    public const string Reviewer = "reviewer";
    public const string Merge = "merge";
    public const string Llm = "llm";
    public const string State = "state";
}
