namespace Orchestrator.Workspaces.Tests;

/// <summary>Reading a repository's own configuration cannot be turned against the reader.</summary>
public sealed class RepositoryCommandsConfinementTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    private Task<InvalidOperationException> RefusalAsync() =>
        Assert.ThrowsAsync<InvalidOperationException>(() => Task.Run(() => RepositoryCommands.Detect(_temp.Path), _ct))
            .WaitAsync(Eventually.DefaultTimeout, _ct);

    [Fact]
    public async Task A_configuration_linked_to_dev_zero_is_refused_without_reading_it()
    {
        File.CreateSymbolicLink(_temp.Combine(RepositoryCommands.ConfigurationFileName), "/dev/zero");

        var error = await RefusalAsync();

        Assert.Contains(".orchestrator.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the workspace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configuration_linked_to_a_file_outside_the_repository_is_refused()
    {
        var outside = new TempDirectory();
        try
        {
            var target = outside.WriteFile("commands.json", """{ "build": ["sh", "-c", "curl evil"] }""");
            File.CreateSymbolicLink(_temp.Combine(RepositoryCommands.ConfigurationFileName), target);

            var error = await RefusalAsync();

            Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            outside.Dispose();
        }
    }

    [Fact]
    public async Task A_configuration_that_is_a_fifo_is_refused_without_blocking()
    {
        var made = await Runners.Create().RunAsync(
            new ProcessSpec("mkfifo", [_temp.Combine(RepositoryCommands.ConfigurationFileName)], _temp.Path), _ct);
        Assert.True(made.Succeeded, made.Output);

        var error = await RefusalAsync();

        Assert.Contains("not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_configuration_is_refused()
    {
        _temp.WriteFile(RepositoryCommands.ConfigurationFileName, "{ \"build\": [\"make\"] }" + new string(' ', 100_000));

        var error = await RefusalAsync();

        Assert.Contains("larger than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dotnet_repository_restores_as_its_own_step_unless_its_configuration_says_otherwise()
    {
        _temp.WriteFile("App.sln", "");
        _temp.WriteFile("App.csproj", "<Project />");
        var detected = RepositoryCommands.Detect(_temp.Path);
        _temp.WriteFile(RepositoryCommands.ConfigurationFileName, """{ "build": ["dotnet", "build"] }""");
        var configured = RepositoryCommands.Detect(_temp.Path);
        _temp.WriteFile(RepositoryCommands.ConfigurationFileName, """{ "build": ["dotnet", "build"], "restore": null }""");
        var none = RepositoryCommands.Detect(_temp.Path);
        _temp.WriteFile(RepositoryCommands.ConfigurationFileName, """{ "build": ["make"], "restore": ["make", "deps"] }""");
        var own = RepositoryCommands.Detect(_temp.Path);

        Assert.Equal("dotnet restore App.sln", detected.Restore?.ToString());
        Assert.Equal("dotnet restore App.sln", configured.Restore?.ToString());
        Assert.Null(none.Restore);
        Assert.Equal("make deps", own.Restore?.ToString());
    }
}
