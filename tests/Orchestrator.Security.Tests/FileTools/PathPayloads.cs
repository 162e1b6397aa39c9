namespace Orchestrator.Security.Tests.FileTools;

/// <summary>
/// Paths a prompt-injected model could hand the file tools. Every one is refused by every tool (read, write, edit,
/// list, search) with the reason given, no output carries the secret outside, and nothing outside or in a
/// <c>.git</c> directory changes.
/// </summary>
public sealed class PathPayloads(AttackedWorkspace workspace) : IClassFixture<AttackedWorkspace>
{
    private const string Escapes = "escapes the workspace";
    private const string Absolute = "is absolute";
    private const string GitDirectory = "inside a .git directory";
    private const string LinkOutside = "symbolic link that points outside the workspace";
    private const string LinkIntoGit = "symbolic link into a .git directory";
    private const string LinkLoop = "Too many levels of symbolic links";

    /// <summary>Payload name → (path as the model sends it, what the refusal says).</summary>
    private static readonly Dictionary<string, (string Path, string Reason)> Payloads = new()
    {
        ["traversal ../"] = ("../outside/secret.txt", Escapes),
        ["traversal from a subfolder"] = ("docs/../../outside/secret.txt", Escapes),
        ["the workspace's parent"] = ("..", Escapes),
        ["traversal 3,000 segments deep"] = (string.Concat(Enumerable.Repeat("../", 3_000)) + "etc/passwd", Escapes),
        ["traversal after 1,000 folders"] = (string.Concat(Enumerable.Repeat("a/", 1_000)) + string.Concat(Enumerable.Repeat("../", 1_001)) + "x", Escapes),
        ["absolute /etc/passwd"] = ("/etc/passwd", Absolute),
        ["absolute /proc/self/environ"] = ("/proc/self/environ", Absolute),
        ["Windows drive C:\\"] = ("C:\\Windows\\win.ini", Absolute),
        ["Windows drive C:/"] = ("C:/Windows/win.ini", Absolute),
        ["Windows traversal ..\\"] = ("..\\outside\\secret.txt", Escapes),
        ["Windows rooted \\"] = ("\\outside\\secret.txt", Absolute),
        ["UNC \\\\server\\share"] = ("\\\\server\\share\\secret.txt", Absolute),
        ["UNC //server/share"] = ("//server/share/secret.txt", Absolute),
        ["Windows device \\\\?\\C:"] = ("\\\\?\\C:\\secret.txt", Absolute),
        ["NUL byte before traversal"] = ("README.md\0/../../outside/secret.txt", "NUL character"),
        ["NUL byte alone"] = ("\0", "NUL character"),
        [".git/config"] = (".git/config", GitDirectory),
        [".GIT/config (case)"] = (".GIT/config", GitDirectory),
        [".Git/hooks/pre-commit"] = (".Git/hooks/pre-commit", GitDirectory),
        ["nested sub/.git/config"] = ("vendor/lib/.git/config", GitDirectory),
        [".git through ../"] = ("docs/../.git/config", GitDirectory),
        [".git with Windows separators"] = ("docs\\..\\.git\\config", GitDirectory),
        ["symlink to /"] = ("root/etc/passwd", LinkOutside),
        ["symlink to /proc/self/environ"] = ("environ", LinkOutside),
        ["symlink to /dev/zero"] = ("zero", LinkOutside),
        ["symlink to a file outside"] = ("secret-link", LinkOutside),
        ["symlinked directory outside"] = ("outside-dir/secret.txt", LinkOutside),
        ["symlink to the workspace's parent"] = ("up/outside/secret.txt", LinkOutside),
        ["symlink in a subfolder climbing out"] = ("docs/climb/secret.txt", LinkOutside),
        ["symlink to .git"] = ("gitdir/config", LinkIntoGit),
        ["symlink to .git/config"] = ("git-config", LinkIntoGit),
        ["dangling symlink to a new file outside"] = ("dangling", LinkOutside),
        ["dangling absolute symlink"] = ("dangling-absolute", LinkOutside),
        ["symlink loop to itself"] = ("loop/x", LinkLoop),
        ["symlink loop of two"] = ("ping/x", LinkLoop),
        ["50 links inside, then one out"] = (string.Concat(Enumerable.Repeat("self/", 50)) + "up/outside/secret.txt", LinkOutside),
    };

    public static TheoryData<string> Names => new(Payloads.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Every_file_tool_refuses_the_path_and_nothing_outside_changes(string payload)
    {
        var (path, reason) = Payloads[payload];
        var before = workspace.Snapshot();
        var tools = workspace.Plugin();

        string[] outputs =
        [
            await AttackedWorkspace.BoundedAsync(() => tools.ReadFile(path)),
            await AttackedWorkspace.BoundedAsync(() => tools.WriteFile(path, "PWNED")),
            await AttackedWorkspace.BoundedAsync(() => tools.EditFile(path, "a", "PWNED")),
            await AttackedWorkspace.BoundedAsync(() => tools.ListFiles(path)),
            await AttackedWorkspace.BoundedAsync(() => tools.Search("a", path)),
        ];

        Assert.All(outputs, output =>
        {
            Assert.StartsWith("Error: ", output, StringComparison.Ordinal);
            Assert.Contains(reason, output, StringComparison.Ordinal);
            Assert.DoesNotContain(AttackedWorkspace.Secret, output, StringComparison.Ordinal);
        });
        Assert.Equal(before, workspace.Snapshot());
    }

    [Fact]
    public void An_absolute_path_into_the_workspace_itself_is_refused_too()
    {
        var tools = workspace.Plugin();

        Assert.Contains(Absolute, tools.ReadFile(Path.Combine(workspace.Workspace, "README.md")), StringComparison.Ordinal);
        Assert.Equal("# Calculator\n", tools.ReadFile("README.md"));
    }
}
