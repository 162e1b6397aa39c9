using System.Runtime.Versioning;

namespace Orchestrator.Workspaces.Tests;

[UnsupportedOSPlatform("windows")]
public sealed class WorkspaceDirectoryTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _outside;
    private readonly string _outsideFile;
    private readonly string _workspace;

    public WorkspaceDirectoryTests()
    {
        // Deep enough that "../../.." from inside the workspace lands in the test's own folder.
        _outside = _temp.CreateDirectory("outside");
        _outsideFile = _temp.WriteFile("outside/keep.txt", "keep\n");
        File.SetUnixFileMode(_outsideFile, UnixFileMode.UserRead);
        _workspace = _temp.CreateDirectory("work", "feature", "task");
        _temp.WriteFile("work/feature/task/src/a.txt", "a\n");
        _temp.WriteFile("work/feature/task/.git/objects/ab/cdef", "object\n");
        File.SetUnixFileMode(Path.Combine(_workspace, ".git", "objects", "ab", "cdef"), UnixFileMode.UserRead);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Deleting_a_workspace_with_links_out_and_a_loop_removes_the_links_and_leaves_everything_outside_as_it_was()
    {
        Directory.CreateSymbolicLink(Path.Combine(_workspace, "up"), "../../..");
        Directory.CreateSymbolicLink(Path.Combine(_workspace, "src", "loop"), ".");
        Directory.CreateSymbolicLink(Path.Combine(_workspace, "outside"), _outside);
        File.CreateSymbolicLink(Path.Combine(_workspace, "keep-link.txt"), _outsideFile);

        var error = WorkspaceDirectory.TryDelete(_workspace);

        Assert.Null(error);
        Assert.False(Path.Exists(_workspace));
        Assert.True(Directory.Exists(Path.Combine(_temp.Path, "work", "feature")));
        Assert.Equal("keep\n", File.ReadAllText(_outsideFile));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(_outsideFile));
        Assert.Equal([_outsideFile], Directory.EnumerateFileSystemEntries(_outside));
    }

    [Fact]
    public void A_workspace_path_that_is_itself_a_link_loses_the_link_not_its_target()
    {
        var linked = Path.Combine(_temp.Path, "work", "linked");
        Directory.CreateSymbolicLink(linked, _outside);

        Assert.Null(WorkspaceDirectory.TryDelete(linked));

        Assert.False(Path.Exists(linked));
        Assert.Equal("keep\n", File.ReadAllText(_outsideFile));
    }

    [Fact]
    public void A_missing_workspace_is_nothing_to_delete()
    {
        Assert.Null(WorkspaceDirectory.TryDelete(Path.Combine(_temp.Path, "never-made")));
    }
}
