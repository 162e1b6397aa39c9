using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orchestrator.Agents.Tests.Support;
using Orchestrator.Contracts;
using Orchestrator.Messaging;

namespace Orchestrator.Agents.Tests;

public sealed class AgentServiceTests
{
    [Fact]
    public void The_coder_role_loads_its_embedded_system_prompt_and_commits_under_its_own_name()
    {
        var role = AgentRoleDefinition.FromAssembly(AgentRole.Coder, CoderService.Assembly);

        Assert.StartsWith("You are the Coder", role.SystemPrompt, StringComparison.Ordinal);
        Assert.Equal("Orchestrator Coder", role.GitName);
        Assert.Equal("coder@agents.orchestrator.invalid", role.GitEmail);
    }

    [Fact]
    public void An_assembly_without_a_prompt_is_refused_naming_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AgentRoleDefinition.FromAssembly(AgentRole.Docs, typeof(AgentServiceTests).Assembly));

        Assert.Contains("Orchestrator.Agents.Tests embeds no Prompts/system.md", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Agents:CommandTimeout", "00:00:00", "CommandTimeout")]
    [InlineData("Agents:MaxToolOutputChars", "10", "MaxToolOutputChars")]
    [InlineData("Agents:MaxModelCalls", "0", "MaxModelCalls")]
    public async Task Invalid_configuration_stops_the_service_at_start_naming_the_setting(string key, string value, string named)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:messaging"] = "amqp://guest:guest@localhost:5672/",
            [key] = value,
        });
        builder.AddAgentService(AgentRoutes.Coder, CoderService.Assembly);
        builder.Services.AddMassTransitTestHarness(TextWriter.Null);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => host.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_broker_connection_string_the_service_refuses_to_build_saying_which_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        var error = Assert.Throws<InvalidOperationException>(
            () => builder.AddAgentService(AgentRoutes.Coder, CoderService.Assembly));

        Assert.Contains("ConnectionStrings:messaging", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_service_reports_no_usage_telemetry_to_anyone()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:messaging"] = "amqp://guest:guest@localhost:5672/" });
        builder.AddAgentService(AgentRoutes.Coder, CoderService.Assembly);
        using var host = builder.Build();

        // MassTransit would otherwise post usage data to its vendor a few minutes after start.
        Assert.False(host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }
}
