using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Workspaces.Tests;

public sealed class ServiceCollectionTests
{
    [Fact]
    public void Registers_the_process_runner_as_a_singleton()
    {
        using var provider = new ServiceCollection().AddWorkspaces().BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<ProcessRunner>(), provider.GetRequiredService<ProcessRunner>());
    }
}
