using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Messaging;
using Orchestrator.Messaging.Roles;

namespace Orchestrator.Tests.Roles;

public sealed class AgentRolesConfigurationTests
{
    private static readonly AgentRole Ops = new("ops");

    private static AgentRoles Roles(params (string Key, string Value)[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build());
        services.AddAgentRoles();
        using var provider = services.BuildServiceProvider();
        // What ValidateOnStart runs when the host starts.
        _ = provider.GetRequiredService<IOptions<AgentRolesOptions>>().Value;
        return provider.GetRequiredService<AgentRoles>();
    }

    private static string Problems(params (string Key, string Value)[] settings) =>
        Assert.Throws<OptionsValidationException>(() => Roles(settings)).Message;

    [Fact]
    public void Without_configuration_the_built_in_roles_are_there_with_their_queues_and_no_run_command()
    {
        var roles = Roles();

        Assert.Equal(["coder", "tester", "docs", "reviewer"], roles.All.Select(r => r.Role.Name));
        Assert.Equal(["coder", "tester", "docs"], roles.Plannable.Select(r => r.Role.Name));
        Assert.Equal(["coder", "tester", "docs", "reviewer"], roles.All.Select(r => r.Queue));
        Assert.All(roles.All, r => Assert.DoesNotContain(AgentTools.RunCommand, r.Tools));
        Assert.IsType<AgentRoute<ImplementTask>>(roles.RouteFor(AgentRole.Coder));
        Assert.Empty(roles.Extra);
    }

    [Fact]
    public void A_configured_role_binds_with_its_tools_and_gets_the_generic_command_on_its_queue()
    {
        var roles = Roles(
            ("Roles:ops:Description", "edits CI and deployment files"),
            ("Roles:ops:SystemPromptFile", "samples/roles/ops/system.md"),
            ("Roles:ops:Tools:0", "read_file"),
            ("Roles:ops:Tools:1", "edit_file"),
            ("Roles:ops:Tools:2", "run_command"));

        var ops = Assert.Single(roles.Extra);
        Assert.Equal(Ops, ops.Role);
        Assert.Equal("ops", ops.Queue);
        Assert.Equal(["read_file", "edit_file", "run_command"], ops.Tools);
        Assert.True(ops.Plannable);
        Assert.Equal("samples/roles/ops/system.md", ops.SystemPromptFile);
        var route = Assert.IsType<AgentRoute<RunAgentTask>>(roles.RouteFor(Ops));
        Assert.Equal(new Uri("queue:ops"), route.Address);
        Assert.Contains(ops, roles.Plannable);
    }

    [Fact]
    public void A_built_in_role_keeps_its_command_and_takes_what_is_configured_for_it()
    {
        var roles = Roles(("Roles:Coder:Tools:0", "read_file"), ("Roles:coder:Tools:1", "run_command"), ("Roles:coder:Queue", "coder-big"));

        var coder = roles.Find(AgentRole.Coder)!;
        Assert.Equal(["read_file", "run_command"], coder.Tools);
        Assert.Equal("implements production code.", coder.Description);
        var route = Assert.IsType<AgentRoute<ImplementTask>>(roles.RouteFor(AgentRole.Coder));
        Assert.Equal("coder-big", route.Queue);
    }

    [Fact]
    public void A_role_nobody_configured_is_routed_to_the_queue_of_its_name()
    {
        var route = Roles().RouteFor(new AgentRole("ghost"));

        Assert.Equal("ghost", route.Queue);
        Assert.IsType<AgentRoute<RunAgentTask>>(route);
    }

    [Theory]
    [InlineData("Roles:ops team:Description", "x", "Roles:ops team: 'ops team' is not a role name")]
    [InlineData("Roles:ops:Queue", "ops", "Roles:ops:Description is required")]
    [InlineData("Roles:coder:Tools:0", "shell", "Roles:coder:Tools: 'shell' is not a tool; the tools are list_files, read_file")]
    [InlineData("Roles:docs:Queue", "merge", "Roles:docs:Queue: 'merge' cannot be a role's queue")]
    [InlineData("Roles:docs:Queue", "Docs_Queue", "Roles:docs:Queue: 'Docs_Queue' cannot be a role's queue")]
    [InlineData("Roles:docs:Queue", "coder", "the roles coder and docs share the queue 'coder'")]
    [InlineData("Roles:reviewer:Plannable", "true", "Roles:reviewer:Plannable: the reviewer is asked by the orchestrator")]
    public void Invalid_configuration_is_refused_naming_the_key(string key, string value, string expected)
    {
        Assert.Contains(expected, Problems((key, value)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_named_like_a_system_queue_or_with_two_prompts_is_refused()
    {
        var problems = Problems(
            ("Roles:planner:Description", "plans"),
            ("Roles:ops:Description", "ops"),
            ("Roles:ops:SystemPrompt", "You are ops."),
            ("Roles:ops:SystemPromptFile", "ops.md"));

        Assert.Contains("Roles:planner: a role named 'planner' would take a queue of the system's own", problems, StringComparison.Ordinal);
        Assert.Contains("Roles:ops: set SystemPrompt or SystemPromptFile, not both", problems, StringComparison.Ordinal);
    }
}
