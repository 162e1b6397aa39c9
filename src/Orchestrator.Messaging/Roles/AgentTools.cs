namespace Orchestrator.Messaging.Roles;

/// <summary>
/// The names of the workspace tools a role can be given (<c>Roles:&lt;name&gt;:Tools</c>); the model calls them
/// <c>workspace_&lt;name&gt;</c>.
/// </summary>
public static class AgentTools
{
    public const string ListFiles = "list_files";
    public const string ReadFile = "read_file";
    public const string Search = "search";
    public const string WriteFile = "write_file";
    public const string EditFile = "edit_file";
    public const string RunBuild = "run_build";
    public const string RunTests = "run_tests";

    /// <summary>A program with an argument list, in the sandbox: off unless a role's configuration lists it.</summary>
    public const string RunCommand = "run_command";

    public static IReadOnlyList<string> All { get; } = [ListFiles, ReadFile, Search, WriteFile, EditFile, RunBuild, RunTests, RunCommand];

    /// <summary>What a role gets when its configuration names no tools: everything but <see cref="RunCommand"/>.</summary>
    public static IReadOnlyList<string> Default { get; } = [ListFiles, ReadFile, Search, WriteFile, EditFile, RunBuild, RunTests];

    /// <summary>Looking, not touching.</summary>
    public static IReadOnlyList<string> ReadOnly { get; } = [ListFiles, ReadFile, Search];

    /// <summary>The Reviewer's: looking, and running the repository's build and tests (in the sandbox; it never pushes).</summary>
    public static IReadOnlyList<string> Reviewing { get; } = [.. ReadOnly, RunBuild, RunTests];
}
