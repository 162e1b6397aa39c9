namespace Orchestrator.Workspaces.Tests;

public sealed class WorkspaceRootTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly WorkspaceRoot _workspace;

    public WorkspaceRootTests()
    {
        Directory.CreateDirectory(_temp.Combine("ws", ".git"));
        File.WriteAllText(_temp.Combine("ws", ".git", "config"), "[core]\n");
        Directory.CreateDirectory(_temp.Combine("ws", "src"));
        Directory.CreateDirectory(_temp.Combine("ws2"));
        Directory.CreateDirectory(_temp.Combine("outside"));
        File.WriteAllText(_temp.Combine("outside", "secret.txt"), "secret");
        _workspace = new WorkspaceRoot(_temp.Combine("ws"));
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("src/../../ws2/x")]
    [InlineData("..")]
    [InlineData("..\\x")]
    public void Refuses_a_path_that_escapes_the_workspace(string path)
    {
        var error = Assert.Throws<WorkspacePathException>(() => _workspace.Resolve(path));
        Assert.Contains("escapes the workspace", error.Message);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("\\etc\\passwd")]
    [InlineData("C:/Windows/win.ini")]
    public void Refuses_an_absolute_path(string path)
    {
        var error = Assert.Throws<WorkspacePathException>(() => _workspace.Resolve(path));
        Assert.Contains("absolute", error.Message);
    }

    [Fact]
    public void Refuses_an_absolute_path_even_when_it_points_inside_the_workspace()
    {
        Assert.Throws<WorkspacePathException>(() => _workspace.Resolve(Path.Combine(_workspace.Directory, "src")));
    }

    [Theory]
    [InlineData(".git/config")]
    [InlineData(".git")]
    [InlineData("./.git/hooks/pre-commit")]
    [InlineData("src/../.git/config")]
    [InlineData(".GIT/config")]
    [InlineData("vendor/lib/.git/config")]
    public void Refuses_anything_inside_the_git_directory(string path)
    {
        var error = Assert.Throws<WorkspacePathException>(() => _workspace.Resolve(path));
        Assert.Contains(".git", error.Message);
    }

    [Fact]
    public void Refuses_a_symlink_inside_the_workspace_that_points_outside()
    {
        Directory.CreateSymbolicLink(_temp.Combine("ws", "escape"), _temp.Combine("outside"));
        File.CreateSymbolicLink(_temp.Combine("ws", "src", "secret.txt"), _temp.Combine("outside", "secret.txt"));

        Assert.Throws<WorkspacePathException>(() => _workspace.Resolve("escape"));
        Assert.Throws<WorkspacePathException>(() => _workspace.Resolve("escape/secret.txt"));
        Assert.Throws<WorkspacePathException>(() => _workspace.Resolve("escape/new/file.txt"));
        Assert.Throws<WorkspacePathException>(() => _workspace.Resolve("src/secret.txt"));
    }

    [Fact]
    public void Refuses_a_relative_symlink_that_climbs_out_of_the_workspace()
    {
        Directory.CreateSymbolicLink(_temp.Combine("ws", "src", "up"), "../../outside");

        Assert.Throws<WorkspacePathException>(() => _workspace.Resolve("src/up/secret.txt"));
    }

    [Fact]
    public void Refuses_a_dangling_symlink_whose_target_would_be_created_outside()
    {
        File.CreateSymbolicLink(_temp.Combine("ws", "planted.txt"), _temp.Combine("outside", "not-yet.txt"));

        Assert.Throws<WorkspacePathException>(() => _workspace.Resolve("planted.txt"));
    }

    [Fact]
    public void Refuses_a_symlink_whose_dot_dot_climbs_from_the_link_target()
    {
        // "hop/../secret.txt" looks like it stays beside the link, but the OS applies ".." to the link's target.
        Directory.CreateDirectory(_temp.Combine("outside", "deep"));
        Directory.CreateSymbolicLink(_temp.Combine("ws", "hop"), _temp.Combine("outside", "deep"));
        File.CreateSymbolicLink(_temp.Combine("ws", "sneaky"), "hop/../secret.txt");
        File.CreateSymbolicLink(_temp.Combine("ws", "chained"), "sneaky");

        Assert.Throws<WorkspacePathException>(() => _workspace.Resolve("sneaky"));
        Assert.Throws<WorkspacePathException>(() => _workspace.Resolve("chained"));
    }

    [Fact]
    public void Refuses_a_symlink_that_points_into_the_git_directory()
    {
        Directory.CreateSymbolicLink(_temp.Combine("ws", "meta"), _temp.Combine("ws", ".git"));

        var error = Assert.Throws<WorkspacePathException>(() => _workspace.Resolve("meta/config"));
        Assert.Contains(".git", error.Message);
    }

    [Fact]
    public void Does_not_confuse_a_sibling_directory_with_the_same_prefix_for_the_workspace()
    {
        Directory.CreateSymbolicLink(_temp.Combine("ws", "sibling"), _temp.Combine("ws2"));

        Assert.Throws<WorkspacePathException>(() => _workspace.Resolve("sibling/x"));
        Assert.Throws<WorkspacePathException>(() => _workspace.ToRelative(_temp.Combine("ws2", "x")));
    }

    [Fact]
    public void Accepts_a_symlink_that_stays_inside_the_workspace()
    {
        Directory.CreateSymbolicLink(_temp.Combine("ws", "alias"), "src");

        Assert.Equal(Path.Combine(_workspace.Directory, "alias", "a.cs"), _workspace.Resolve("alias/a.cs"));
    }

    [Theory]
    [InlineData("src/Program.cs", "src/Program.cs")]
    [InlineData("./src/./Program.cs", "src/Program.cs")]
    [InlineData("src//nested/", "src/nested")]
    [InlineData("a/../src/x.cs", "src/x.cs")]
    [InlineData("src\\Windows\\Style.cs", "src/Windows/Style.cs")]
    [InlineData(".gitignore", ".gitignore")]
    [InlineData(".github/workflows/ci.yml", ".github/workflows/ci.yml")]
    public void Accepts_normal_nested_paths(string path, string expectedRelative)
    {
        var full = _workspace.Resolve(path);

        Assert.Equal(Path.Combine([_workspace.Directory, .. expectedRelative.Split('/')]), full);
        Assert.Equal(expectedRelative, _workspace.ToRelative(full));
    }

    [Fact]
    public void Accepts_a_file_that_does_not_exist_yet_in_directories_that_do_not_exist_yet()
    {
        var full = _workspace.Resolve("new/deeper/still/File.cs");

        Assert.False(Directory.Exists(Path.GetDirectoryName(full)));
        Assert.StartsWith(_workspace.Directory + Path.DirectorySeparatorChar, full);
        Assert.Equal("new/deeper/still/File.cs", _workspace.ToRelative(full));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("src/..")]
    public void Treats_empty_and_dot_as_the_root_itself(string path)
    {
        Assert.Equal(_workspace.Directory, _workspace.Resolve(path));
    }

    [Fact]
    public void Resolves_symlinks_of_the_root_itself()
    {
        Directory.CreateSymbolicLink(_temp.Combine("ws-alias"), _temp.Combine("ws"));

        var viaAlias = new WorkspaceRoot(_temp.Combine("ws-alias"));

        Assert.Equal(_workspace.Directory, viaAlias.Directory);
        Assert.Equal("src/a.cs", viaAlias.ToRelative(_temp.Combine("ws-alias", "src", "a.cs")));
    }

    [Fact]
    public void Refuses_a_root_that_does_not_exist()
    {
        Assert.Throws<DirectoryNotFoundException>(() => new WorkspaceRoot(_temp.Combine("missing")));
    }

    [Fact]
    public void Refuses_to_make_a_path_outside_the_workspace_relative()
    {
        Assert.Throws<WorkspacePathException>(() => _workspace.ToRelative(_temp.Combine("outside", "secret.txt")));
    }
}
