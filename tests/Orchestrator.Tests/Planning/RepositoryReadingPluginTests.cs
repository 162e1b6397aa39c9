using Orchestrator.Planning;
using Orchestrator.Workspaces;

namespace Orchestrator.Tests.Planning;

public sealed class RepositoryReadingPluginTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly WorkspaceRoot _root;

    public RepositoryReadingPluginTests()
    {
        _temp.WriteFile("repo/src/Calculator/Arithmetic.cs", "public static class Arithmetic { }\n");
        _temp.WriteFile("repo/README.md", "# Calculator\n");
        _temp.WriteFile("repo/.git/config", "[core]\n");
        _temp.WriteFile("repo/bin/Debug/out.dll", "binary");
        _temp.WriteFile("outside/secret.txt", "the secret outside");
        _root = new WorkspaceRoot(_temp.Combine("repo"));
    }

    public void Dispose() => _temp.Dispose();

    private RepositoryReadingPlugin Tools(int maxCalls = 10, int maxOutputChars = 1_000) => new(_root, maxCalls, maxOutputChars);

    [Fact]
    public void Lists_reads_and_searches_the_clone_skipping_git_and_build_output()
    {
        var tools = Tools();

        Assert.Equal(["README.md", "src/Calculator/Arithmetic.cs"], tools.ListFiles(".").Split('\n'));
        Assert.Equal("public static class Arithmetic { }\n", tools.ReadFile("src/Calculator/Arithmetic.cs"));
        Assert.Equal("src/Calculator/Arithmetic.cs:1: public static class Arithmetic { }", tools.Search("class Arithmetic"));
        Assert.Equal("No matches for 'Power'.", tools.Search("Power"));
    }

    [Theory]
    [InlineData("../outside/secret.txt")]
    [InlineData("src/../../outside/secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData(".git/config")]
    public void Never_reads_outside_the_clone_or_its_git_directory(string path)
    {
        var tools = Tools();

        Assert.StartsWith("Error:", tools.ReadFile(path), StringComparison.Ordinal);
        Assert.StartsWith("Error:", tools.ListFiles(path), StringComparison.Ordinal);
        Assert.StartsWith("Error:", tools.Search("secret", path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_leading_out_of_the_clone_is_neither_read_nor_searched()
    {
        File.CreateSymbolicLink(_temp.Combine("repo", "leak.txt"), _temp.Combine("outside", "secret.txt"));
        var tools = Tools();

        Assert.StartsWith("Error:", tools.ReadFile("leak.txt"), StringComparison.Ordinal);
        Assert.Equal("No matches for 'the secret'.", tools.Search("the secret"));
    }

    [Fact]
    public void Output_is_cut_at_the_configured_characters_with_a_note()
    {
        _temp.WriteFile("repo/big.txt", new string('x', 5_000));
        var tools = Tools(maxOutputChars: 1_000);

        var read = tools.ReadFile("big.txt");

        Assert.Equal(new string('x', 600) + "\n... [4000 characters cut here; the start and the end are shown] ...\n" + new string('x', 400), read);
    }

    [Fact]
    public void Calls_past_the_limit_are_refused_and_say_to_plan()
    {
        var tools = Tools(maxCalls: 2);

        tools.ListFiles();
        Assert.False(tools.Exhausted);
        tools.ReadFile("README.md");
        Assert.True(tools.Exhausted);

        var refused = tools.ReadFile("README.md");
        Assert.Equal("Error: the planner may make at most 2 tool calls and has used them; answer with the plan now.", refused);
        Assert.Equal(3, tools.Calls);
    }

    [Fact]
    public void Repository_text_reaches_the_model_without_hidden_characters()
    {
        _temp.WriteFile("repo/sneaky.md", "visible\u202Ereversed\u200B\U000E0049gnore");
        var tools = Tools();

        Assert.Equal("visiblereversedgnore", tools.ReadFile("sneaky.md"));
        Assert.Equal("sneaky.md:1: visiblereversedgnore", tools.Search("visible"));
    }

    [Fact]
    public void The_plugin_offers_only_read_only_tools()
    {
        var plugin = Microsoft.SemanticKernel.KernelPluginFactory.CreateFromObject(Tools(), RepositoryReadingPlugin.PluginName);

        Assert.Equal(["list_files", "read_file", "search"], plugin.Select(f => f.Name).Order(StringComparer.Ordinal));
    }
}
