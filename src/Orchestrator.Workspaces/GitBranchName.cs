namespace Orchestrator.Workspaces;

/// <summary>The branch names this system passes to git: git's own rules, and nothing git could read as an option.</summary>
public static class GitBranchName
{
    public static bool IsValid(string name) => GitCli.IsValidBranchName(name);
}
