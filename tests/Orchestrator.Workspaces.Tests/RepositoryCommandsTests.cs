namespace Orchestrator.Workspaces.Tests;

public sealed class RepositoryCommandsTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Reads_commands_from_the_orchestrator_file()
    {
        temp.WriteFile(".orchestrator.json", """{"build": ["dotnet", "build", "-c", "Release"], "test": ["dotnet", "test", "--nologo"]}""");
        temp.WriteFile("App.csproj", "<Project />");

        var commands = RepositoryCommands.Detect(temp.Path);

        Assert.Equal("dotnet", commands.Build!.FileName);
        Assert.Equal(["build", "-c", "Release"], commands.Build.Arguments);
        Assert.Equal("dotnet test --nologo", commands.Test!.ToString());
    }

    [Fact]
    public void Treats_a_missing_or_null_entry_in_the_orchestrator_file_as_no_command()
    {
        temp.WriteFile(".orchestrator.json", """{"test": null}""");

        var commands = RepositoryCommands.Detect(temp.Path);

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
        temp.WriteFile(".orchestrator.json", content);

        var error = Assert.Throws<InvalidOperationException>(() => RepositoryCommands.Detect(temp.Path));

        Assert.Contains(".orchestrator.json", error.Message);
    }

    [Fact]
    public void Detects_a_csproj_as_dotnet_build_and_test()
    {
        temp.WriteFile("App.csproj", "<Project />");

        var commands = RepositoryCommands.Detect(temp.Path);

        Assert.Equal("dotnet build", commands.Build!.ToString());
        Assert.Equal("dotnet test", commands.Test!.ToString());
    }

    [Fact]
    public void Names_the_solution_when_the_root_has_several_project_files()
    {
        temp.WriteFile("App.slnx", "<Solution />");
        temp.WriteFile("App.csproj", "<Project />");

        var commands = RepositoryCommands.Detect(temp.Path);

        Assert.Equal(new RepositoryCommand("dotnet", ["build", "App.slnx"]).ToString(), commands.Build!.ToString());
        Assert.Equal("dotnet test App.slnx", commands.Test!.ToString());
    }

    [Fact]
    public void Detects_npm_scripts()
    {
        temp.WriteFile("package.json", """{"scripts": {"build": "tsc", "test": "vitest"}}""");

        var commands = RepositoryCommands.Detect(temp.Path);

        Assert.Equal("npm run build", commands.Build!.ToString());
        Assert.Equal("npm test", commands.Test!.ToString());
    }

    [Fact]
    public void Skips_npm_build_when_there_is_no_build_script()
    {
        temp.WriteFile("package.json", """{"scripts": {"test": "jest"}}""");

        var commands = RepositoryCommands.Detect(temp.Path);

        Assert.Null(commands.Build);
        Assert.Equal("npm test", commands.Test!.ToString());
    }

    [Fact]
    public void Detects_a_makefile()
    {
        temp.WriteFile("Makefile", "all:\n\ttrue\n");

        var commands = RepositoryCommands.Detect(temp.Path);

        Assert.Equal("make", commands.Build!.ToString());
        Assert.Equal("make test", commands.Test!.ToString());
    }

    [Fact]
    public void Knows_no_commands_for_an_unrecognised_repository()
    {
        temp.WriteFile("README.md", "# hi\n");

        Assert.Equal(new RepositoryCommands(null, null), RepositoryCommands.Detect(temp.Path));
    }
}
