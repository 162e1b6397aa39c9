using System.Reflection;

namespace Orchestrator.Agents.Tests.Support;

/// <summary>The Coder service's assembly (it holds only Program.cs and the role's embedded prompt).</summary>
internal static class CoderService
{
    public static Assembly Assembly { get; } = Assembly.Load("Orchestrator.Agents.Coder");
}
