namespace Orchestrator.Contracts;

/// <summary>The role agents a plan can assign tasks to.</summary>
public enum AgentRole
{
    /// <summary>Implements production code.</summary>
    Coder,

    /// <summary>Writes and runs tests.</summary>
    Tester,

    /// <summary>Updates documentation.</summary>
    Docs,

    /// <summary>Reviews the verified, merged result before the pull request opens (reads; never pushes).</summary>
    Reviewer,
}
