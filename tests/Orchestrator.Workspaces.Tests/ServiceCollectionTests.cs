using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orchestrator.Workspaces.Tests;

public sealed class ServiceCollectionTests
{
    private static ServiceProvider Provider(params (string Key, string Value)[] settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder()
                .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
                .Build())
            .AddWorkspaces()
            .BuildServiceProvider();

    [Fact]
    public void Registers_the_process_runner_as_a_singleton()
    {
        using var provider = new ServiceCollection().AddWorkspaces().BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<ProcessRunner>(), provider.GetRequiredService<ProcessRunner>());
    }

    [Fact]
    public void Repository_commands_run_in_bubblewrap_unless_the_operator_sets_mode_none()
    {
        using var sandboxed = Provider();
        using var unsandboxed = Provider(("Sandbox:Mode", "none"));

        Assert.IsType<BubblewrapCommandRunner>(sandboxed.GetRequiredService<IRepositoryCommandRunner>());
        Assert.IsType<UnsandboxedCommandRunner>(unsandboxed.GetRequiredService<IRepositoryCommandRunner>());
    }

    [Theory]
    [InlineData("Sandbox:MaxProcesses", "2", "MaxProcesses")]
    [InlineData("Sandbox:MemoryLimitMegabytes", "1", "MemoryLimitMegabytes")]
    [InlineData("Sandbox:ExtraReadOnlyPaths:0", "relative/tools", "ExtraReadOnlyPaths")]
    [InlineData("Sandbox:Mode", "docker", "Sandbox:Mode")]
    public void Invalid_sandbox_settings_are_refused_naming_the_key(string key, string value, string named)
    {
        using var provider = Provider((key, value));

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IOptions<SandboxOptions>>().Value);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
