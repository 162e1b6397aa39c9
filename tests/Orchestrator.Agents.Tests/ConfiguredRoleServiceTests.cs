using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orchestrator.Agents.Tests.Support;
using Orchestrator.Contracts;
using Orchestrator.Messaging.Roles;

namespace Orchestrator.Agents.Tests;

/// <summary>The generic agent service takes its role, prompt and tools from configuration.</summary>
public sealed class ConfiguredRoleServiceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static HostApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(
            [KeyValuePair.Create("ConnectionStrings:messaging", (string?)"amqp://guest:guest@localhost:5672/"),
             .. settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))]);
        return builder;
    }

    [Fact]
    public void The_generic_service_runs_the_configured_role_with_its_prompt_file_and_tools()
    {
        var prompt = Path.Combine(_temp.CreateDirectory("roles"), "ops.md");
        File.WriteAllText(prompt, "You are the Ops agent.");
        var builder = Builder(
            ("Agent:Role", "ops"),
            ("Roles:ops:Description", "CI and deployment files"),
            ("Roles:ops:SystemPromptFile", prompt),
            ("Roles:ops:Tools:0", "read_file"),
            ("Roles:ops:Tools:1", "run_command"));

        builder.AddConfiguredAgentService();
        using var host = builder.Build();

        var role = host.Services.GetRequiredService<AgentRoleDefinition>();
        Assert.Equal(new AgentRole("ops"), role.Role);
        Assert.Equal("You are the Ops agent.", role.SystemPrompt);
        Assert.Equal(["read_file", "run_command"], role.Tools);
        Assert.Equal("Orchestrator Ops", role.GitName);
        Assert.Equal("ops@agents.orchestrator.invalid", role.GitEmail);
        // Its runner Jobs (Runner:Kind=KubernetesJob) are labelled by the role, not by the generic project's name.
        Assert.Equal("ops", host.Services.GetRequiredService<IOptions<Workspaces.Kubernetes.KubernetesJobRunnerOptions>>().Value.Role);
    }

    [Theory]
    [InlineData(null, "Agent:Role is not set")]
    [InlineData("Ops Team", "Agent:Role: 'Ops Team' is not a role name")]
    [InlineData("ops", "Agent:Role is 'ops', which is not configured: add Roles:ops")]
    public void A_missing_or_unknown_role_stops_the_build_saying_what_to_set(string? role, string expected)
    {
        var builder = role is null ? Builder() : Builder(("Agent:Role", role));

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddConfiguredAgentService());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_role_without_a_prompt_or_with_a_missing_prompt_file_is_refused_naming_the_keys()
    {
        var noPrompt = Assert.Throws<InvalidOperationException>(() =>
            Builder(("Agent:Role", "ops"), ("Roles:ops:Description", "CI")).AddConfiguredAgentService());
        var missingFile = Assert.Throws<InvalidOperationException>(() =>
            Builder(("Agent:Role", "ops"), ("Roles:ops:Description", "CI"), ("Roles:ops:SystemPromptFile", "/nowhere/ops.md")).AddConfiguredAgentService());

        Assert.Contains("set Roles:ops:SystemPrompt or Roles:ops:SystemPromptFile", noPrompt.Message, StringComparison.Ordinal);
        Assert.Contains("Roles:ops:SystemPromptFile: '/nowhere/ops.md' does not exist", missingFile.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_roles_configuration_stops_an_agent_service_naming_the_key()
    {
        var builder = Builder(("Roles:coder:Tools:0", "shell"));

        var error = Assert.Throws<OptionsValidationException>(() => builder.AddAgentService(Messaging.AgentRoutes.Coder, CoderService.Assembly));

        Assert.Contains("Roles:coder:Tools: 'shell' is not a tool", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_built_in_service_keeps_its_embedded_prompt_and_takes_the_tools_configured_for_its_role()
    {
        var builder = Builder(("Roles:coder:Tools:0", "read_file"), ("Roles:coder:Tools:1", "run_command"));

        builder.AddAgentService(Messaging.AgentRoutes.Coder, CoderService.Assembly);
        using var host = builder.Build();

        var role = host.Services.GetRequiredService<AgentRoleDefinition>();
        Assert.StartsWith("You are the Coder", role.SystemPrompt, StringComparison.Ordinal);
        Assert.Equal(["read_file", "run_command"], role.Tools);
        Assert.Equal(AgentTools.Default, AgentRoleDefinition.FromAssembly(AgentRole.Coder, CoderService.Assembly).Tools);
    }
}
