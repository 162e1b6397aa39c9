namespace Orchestrator.Workspaces.Tests;

public sealed class RepositoryCommandsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Reads_commands_from_the_orchestrator_file()
    {
        _temp.WriteFile(".orchestrator.json", """{"build": ["dotnet", "build", "-c", "Release"], "test": ["dotnet", "test", "--nologo"]}""");
        _temp.WriteFile("App.csproj", "<Project />");

        var commands = RepositoryCommands.Detect(_temp.Path);

        Assert.Equal("dotnet", commands.Build!.FileName);
        Assert.Equal(["build", "-c", "Release"], commands.Build.Arguments);
        Assert.Equal("dotnet test --nologo", commands.Test!.ToString());
    }

    [Fact]
    public void Treats_a_missing_or_null_entry_in_the_orchestrator_file_as_no_command()
    {
        _temp.WriteFile(".orchestrator.json", """{"test": null}""");

        var commands = RepositoryCommands.Detect(_temp.Path);

        Assert.Null(commands.Build);
        Assert.Null(commands.Test);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{"build": "dotnet build"}""")]
    [InlineData("""{"build": []}""")]
    [InlineData("""{"test": ["dotnet", 3]}""")]
    [InlineData("""["dotnet", "build"]""")]
    public void Refuses_an_invalid_orchestrator_file_naming_it(string content)
    {
        _temp.WriteFile(".orchestrator.json", content);

        var error = Assert.Throws<InvalidOperationException>(() => RepositoryCommands.Detect(_temp.Path));

        Assert.Contains(".orchestrator.json", error.Message);
    }

    [Fact]
    public void Detects_a_csproj_as_dotnet_build_and_test()
    {
        _temp.WriteFile("App.csproj", "<Project />");

        var commands = RepositoryCommands.Detect(_temp.Path);

        Assert.Equal("dotnet build", commands.Build!.ToString());
        Assert.Equal("dotnet test", commands.Test!.ToString());
    }

    [Fact]
    public void Names_the_solution_when_the_root_has_several_project_files()
    {
        _temp.WriteFile("App.slnx", "<Solution />");
        _temp.WriteFile("App.csproj", "<Project />");

        var commands = RepositoryCommands.Detect(_temp.Path);

        Assert.Equal(new RepositoryCommand("dotnet", ["build", "App.slnx"]).ToString(), commands.Build!.ToString());
        Assert.Equal("dotnet test App.slnx", commands.Test!.ToString());
    }

    [Fact]
    public void Detects_npm_scripts()
    {
        _temp.WriteFile("package.json", """{"scripts": {"build": "tsc", "test": "vitest"}}""");

        var commands = RepositoryCommands.Detect(_temp.Path);

        Assert.Equal("npm run build", commands.Build!.ToString());
        Assert.Equal("npm test", commands.Test!.ToString());
    }

    [Fact]
    public void Skips_npm_build_when_there_is_no_build_script()
    {
        _temp.WriteFile("package.json", """{"scripts": {"test": "jest"}}""");

        var commands = RepositoryCommands.Detect(_temp.Path);

        Assert.Null(commands.Build);
        Assert.Equal("npm test", commands.Test!.ToString());
    }

    [Fact]
    public void Detects_a_makefile()
    {
        _temp.WriteFile("Makefile", "all:\n\ttrue\n");

        var commands = RepositoryCommands.Detect(_temp.Path);

        Assert.Equal("make", commands.Build!.ToString());
        Assert.Equal("make test", commands.Test!.ToString());
    }

    [Fact]
    public void Knows_no_commands_for_an_unrecognised_repository()
    {
        _temp.WriteFile("README.md", "# hi\n");

        Assert.Equal(new RepositoryCommands(null, null), RepositoryCommands.Detect(_temp.Path));
    }
}
