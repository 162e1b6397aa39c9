using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agents.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Tests;

public sealed partial class WorkspacePluginTests : IDisposable
{
    private const string Secret = "TOP-SECRET-OUTSIDE";

    private readonly TempDirectory _temp = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly string _workspace;
    private readonly string _outside;
    private readonly ToolActivityLog _activity = new(NullLogger.Instance, "task-a");

    public WorkspacePluginTests()
    {
        _workspace = _temp.CreateDirectory("workspace");
        _outside = _temp.CreateDirectory("outside");
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), Secret + "\n");
    }

    public void Dispose() => _temp.Dispose();

    private WorkspacePlugin Plugin(AgentOptions? options = null) =>
        new(new WorkspaceRoot(_workspace), Runners.Sandboxed(), options ?? new AgentOptions(), _activity);

    private string Write(string relative, string content)
    {
        var full = Path.Combine(_workspace, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    private string Read(string relative) => File.ReadAllText(Path.Combine(_workspace, relative));

    private void WriteCommands(string json) => Write(".orchestrator.json", json);

    // Everything under "outside" as it was made by the constructor: one untouched secret.
    private void AssertOutsideUntouched()
    {
        Assert.Equal(["secret.txt"], Directory.EnumerateFileSystemEntries(_outside).Select(Path.GetFileName));
        Assert.Equal(Secret + "\n", File.ReadAllText(Path.Combine(_outside, "secret.txt")));
    }

    public static TheoryData<string> EscapingPaths => new()
    {
        "../outside/secret.txt",
        "docs/../../outside/secret.txt",
        "..\\outside\\secret.txt",
        "/etc/passwd",
    };

    [Theory]
    [MemberData(nameof(EscapingPaths))]
    public void Every_file_tool_refuses_a_path_that_escapes_the_workspace(string path)
    {
        var plugin = Plugin();

        string[] outputs =
        [
            plugin.ReadFile(path),
            plugin.WriteFile(path, "overwritten"),
            plugin.EditFile(path, Secret, "edited"),
            plugin.ListFiles(path),
            plugin.Search("SECRET", path),
        ];

        Assert.All(outputs, output => Assert.StartsWith("Error:", output, StringComparison.Ordinal));
        Assert.All(outputs, output => Assert.DoesNotContain(Secret, output, StringComparison.Ordinal));
        AssertOutsideUntouched();
    }

    [Fact]
    public void Refuses_an_absolute_path_even_when_it_points_into_the_workspace()
    {
        var output = Plugin().WriteFile(Path.Combine(_workspace, "abs.txt"), "x");

        Assert.StartsWith("Error:", output, StringComparison.Ordinal);
        Assert.Contains("absolute", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_workspace, "abs.txt")));
    }

    [Fact]
    public void Refuses_to_write_or_read_through_a_directory_symlink_pointing_outside()
    {
        Directory.CreateSymbolicLink(Path.Combine(_workspace, "link"), _outside);
        var plugin = Plugin();

        var write = plugin.WriteFile("link/planted.txt", "planted");
        var read = plugin.ReadFile("link/secret.txt");
        var edit = plugin.EditFile("link/secret.txt", Secret, "edited");
        var list = plugin.ListFiles("link");

        Assert.All([write, read, edit, list], output => Assert.StartsWith("Error:", output, StringComparison.Ordinal));
        Assert.Contains("symbolic link", write, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, read, StringComparison.Ordinal);
        AssertOutsideUntouched();
    }

    [Fact]
    public void Refuses_to_read_edit_or_overwrite_a_file_symlink_pointing_outside()
    {
        File.CreateSymbolicLink(Path.Combine(_workspace, "secret-link.txt"), Path.Combine(_outside, "secret.txt"));
        var plugin = Plugin();

        var read = plugin.ReadFile("secret-link.txt");
        var edit = plugin.EditFile("secret-link.txt", Secret, "edited");
        var write = plugin.WriteFile("secret-link.txt", "overwritten");

        Assert.All([read, edit, write], output => Assert.StartsWith("Error:", output, StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, read, StringComparison.Ordinal);
        AssertOutsideUntouched();
    }

    [Fact]
    public void Search_and_listing_do_not_follow_a_directory_symlink_pointing_outside()
    {
        Directory.CreateSymbolicLink(Path.Combine(_workspace, "link"), _outside);
        Write("inside.txt", "nothing secret here\n");
        var plugin = Plugin();

        var search = plugin.Search("SECRET", ".");
        var listing = plugin.ListFiles(".");

        Assert.Equal("No matches for 'SECRET'.", search);
        Assert.Equal("inside.txt", listing);
    }

    [Fact]
    public void Search_does_not_read_a_file_symlink_pointing_outside()
    {
        File.CreateSymbolicLink(Path.Combine(_workspace, "secret-link.txt"), Path.Combine(_outside, "secret.txt"));

        var search = Plugin().Search("SECRET", ".");

        Assert.DoesNotContain(Secret, search, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".git/hooks/pre-commit")]
    [InlineData("src/../.git/config")]
    [InlineData(".GIT/config")]
    public void Refuses_to_write_into_the_git_directory(string path)
    {
        Directory.CreateDirectory(Path.Combine(_workspace, ".git", "hooks"));

        var output = Plugin().WriteFile(path, "#!/bin/sh\necho pwned\n");

        Assert.StartsWith("Error:", output, StringComparison.Ordinal);
        Assert.Contains(".git", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_workspace, ".git", "hooks", "pre-commit")));
        Assert.False(File.Exists(Path.Combine(_workspace, ".git", "config")));
    }

    [Fact]
    public void Write_file_creates_missing_directories_and_writes_utf8_without_a_bom()
    {
        var output = Plugin().WriteFile("src/deep/er/Thing.cs", "namespace Ünïcode;\n");

        Assert.Equal("Wrote src/deep/er/Thing.cs (19 characters).", output);
        var bytes = File.ReadAllBytes(Path.Combine(_workspace, "src", "deep", "er", "Thing.cs"));
        Assert.Equal(Encoding.UTF8.GetBytes("namespace Ünïcode;\n"), bytes);
    }

    [Fact]
    public void Write_file_overwrites_a_whole_file()
    {
        Write("a.txt", "old content that is longer\n");

        Plugin().WriteFile("a.txt", "new\n");

        Assert.Equal("new\n", Read("a.txt"));
    }

    [Fact]
    public void Edit_file_replaces_the_one_occurrence_and_keeps_the_rest_byte_for_byte()
    {
        Write("Calc.cs", "class Calc\r\n{\r\n    int Add(int a, int b) => a + b;\r\n}\r\n");

        var output = Plugin().EditFile("Calc.cs", "a + b;", "checked(a + b);");

        Assert.Equal("Edited Calc.cs.", output);
        Assert.Equal("class Calc\r\n{\r\n    int Add(int a, int b) => checked(a + b);\r\n}\r\n", Read("Calc.cs"));
    }

    [Fact]
    public void Edit_file_keeps_a_byte_order_mark()
    {
        var path = Path.Combine(_workspace, "Bom.cs");
        File.WriteAllText(path, "class Bom { }\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Plugin().EditFile("Bom.cs", "Bom { }", "Bom { int x; }");

        Assert.Equal([0xEF, 0xBB, 0xBF], File.ReadAllBytes(path).Take(3));
    }

    [Fact]
    public void Refuses_to_edit_when_old_text_occurs_twice()
    {
        Write("twice.txt", "return 0;\nreturn 0;\n");

        var output = Plugin().EditFile("twice.txt", "return 0;", "return 1;");

        Assert.StartsWith("Error: oldText occurs more than once", output, StringComparison.Ordinal);
        Assert.Equal("return 0;\nreturn 0;\n", Read("twice.txt"));
    }

    [Fact]
    public void Refuses_to_edit_when_old_text_is_not_found_exactly()
    {
        Write("a.cs", "    int x = 1;\n");

        var output = Plugin().EditFile("a.cs", "  int x = 1;\n  ", "int x = 2;");

        Assert.StartsWith("Error: oldText was not found", output, StringComparison.Ordinal);
        Assert.Equal("    int x = 1;\n", Read("a.cs"));
    }

    [Fact]
    public void Refuses_to_edit_with_empty_old_text_or_a_missing_file()
    {
        Write("a.txt", "a\n");
        var plugin = Plugin();

        var empty = plugin.EditFile("a.txt", "", "b");
        var missing = plugin.EditFile("missing.txt", "a", "b");

        Assert.StartsWith("Error: 'oldText' must not be empty", empty, StringComparison.Ordinal);
        Assert.Equal("Error: file 'missing.txt' does not exist.", missing);
        Assert.Equal("a\n", Read("a.txt"));
        Assert.False(File.Exists(Path.Combine(_workspace, "missing.txt")));
    }

    [Fact]
    public void Read_file_returns_the_content_or_says_the_file_is_missing()
    {
        Write("docs/readme.md", "# Title\n");
        var plugin = Plugin();

        Assert.Equal("# Title\n", plugin.ReadFile("docs/readme.md"));
        Assert.Equal("# Title\n", plugin.ReadFile("./docs//readme.md"));
        Assert.Equal("Error: file 'nope.md' does not exist.", plugin.ReadFile("nope.md"));
    }

    [Fact]
    public void List_files_lists_relative_paths_and_skips_git_and_build_output()
    {
        Write("README.md", "r");
        Write("src/App/App.cs", "a");
        Write("src/App/bin/Debug/App.dll", "x");
        Write("src/App/obj/project.assets.json", "x");
        Write(".git/HEAD", "ref: refs/heads/main");
        Write("node_modules/left-pad/index.js", "x");
        var plugin = Plugin();

        Assert.Equal("README.md\nsrc/App/App.cs", plugin.ListFiles("."));
        Assert.Equal("src/App/App.cs", plugin.ListFiles("src"));
        Assert.Equal("Error: 'README.md' is not a directory.", plugin.ListFiles("README.md"));
    }

    [Fact]
    public void Search_finds_each_hit_with_its_path_and_line_number()
    {
        Write("src/A.cs", "class A\n{\n    public int Power() => 1;\n}\n");
        Write("docs/b.md", "No power here\nPower is documented\n");
        Write("src/bin/A.dll", "Power");
        var plugin = Plugin();

        var hits = plugin.Search("Power", ".").Split('\n');
        var scoped = plugin.Search("Power", "docs");

        Assert.Equal(["docs/b.md:2: Power is documented", "src/A.cs:3: public int Power() => 1;"], hits.Order(StringComparer.Ordinal));
        Assert.Equal("docs/b.md:2: Power is documented", scoped);
        Assert.Equal("No matches for 'Exponent'.", plugin.Search("Exponent", "."));
        Assert.Equal("Error: 'text' must not be empty.", plugin.Search("", "."));
    }
}
