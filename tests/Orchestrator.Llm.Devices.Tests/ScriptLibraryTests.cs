using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Llm;

namespace Orchestrator.Llm.Devices.Tests;

public sealed class ScriptLibraryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private ScriptLibrary LibraryAt(string path) => new(Options.Create(new ModelDeviceOptions { ScriptsPath = path }));

    [Theory]
    [InlineData("../x")]
    [InlineData("..")]
    [InlineData("a/../b")]
    [InlineData("nested/script")]
    [InlineData("/etc/passwd")]
    [InlineData("x..y")]
    [InlineData(".hidden")]
    [InlineData("Demo")]
    [InlineData("")]
    [InlineData("with space")]
    public void Refuses_names_that_are_not_plain_script_names(string name)
    {
        var library = LibraryAt(_temp.CreateDirectory("scripts"));

        Assert.False(ScriptLibrary.IsValidName(name));
        Assert.False(library.Exists(name));
        var error = Assert.Throws<ModelDeviceException>(() => library.Load(name));
        Assert.Contains("is not a valid script name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_script_outside_the_directory_is_never_reached_by_a_relative_name()
    {
        _temp.WriteFile("outside.json", """{ "agents": { "t": [ { "content": "escaped" } ] } }""");
        var library = LibraryAt(_temp.CreateDirectory("scripts"));

        Assert.False(library.Exists("../outside"));
        Assert.Throws<ModelDeviceException>(() => library.Load("../outside"));
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("demo-power")]
    [InlineData("v1.2_final")]
    [InlineData("0")]
    public void Accepts_lowercase_names_with_digits_dots_dashes_and_underscores(string name) =>
        Assert.True(ScriptLibrary.IsValidName(name));

    [Fact]
    public void Loads_a_script_by_name_from_the_configured_directory()
    {
        var scripts = _temp.CreateDirectory("scripts");
        _temp.WriteFile("scripts/demo.json", """{ "description": "d", "agents": { "t": [ { "content": "hi" } ] } }""");
        var library = LibraryAt(scripts);

        var script = library.Load("demo");

        Assert.True(library.Exists("demo"));
        Assert.Equal("demo", script.Name);
        Assert.Equal("hi", script.TurnsFor("t")[0].Content);
    }

    [Fact]
    public void A_missing_script_is_reported_with_the_directory_searched()
    {
        var scripts = _temp.CreateDirectory("scripts");
        var library = LibraryAt(scripts);

        var error = Assert.Throws<ModelDeviceException>(() => library.Load("nope"));

        Assert.Contains("no script named 'nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains(scripts, error.Message, StringComparison.Ordinal);
        Assert.False(library.Exists("nope"));
    }

    [Fact]
    public void Lists_the_scripts_by_name_in_order()
    {
        var scripts = _temp.CreateDirectory("scripts");
        _temp.WriteFile("scripts/b.json", "{}");
        _temp.WriteFile("scripts/a.json", "{}");
        _temp.WriteFile("scripts/notes.txt", "not a script");

        Assert.Equal(["a", "b"], LibraryAt(scripts).Names());
        Assert.Empty(LibraryAt(_temp.Combine("missing")).Names());
    }

    [Theory]
    [InlineData("Models:ScriptsPath")]
    [InlineData("Models:CassettesPath")]
    public void The_keeper_refuses_to_start_without_its_folders_naming_the_setting(string key)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = "" })
            .Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddModelDeviceKeeper()
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ModelDeviceOptions>>().Value);

        Assert.Contains(key.Split(':')[1], error.Message, StringComparison.Ordinal);
    }
}
