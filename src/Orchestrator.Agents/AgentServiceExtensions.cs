using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orchestrator.Agents.Consumers;
using Orchestrator.Contracts;
using Orchestrator.Messaging;
using Orchestrator.Messaging.Roles;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;
using Orchestrator.Workspaces;
using Orchestrator.Workspaces.Kubernetes;

namespace Orchestrator.Agents;

public static class AgentServiceExtensions
{
    /// <summary>The setting that names the role a generic agent service runs (<c>Agent:Role=ops</c>).</summary>
    public const string RoleSetting = "Agent:Role";

    /// <summary>
    /// Adds the agent runtime for one built-in role: the role's prompt (embedded <c>Prompts/system.md</c> in
    /// <paramref name="roleAssembly"/>, unless <c>Roles:&lt;role&gt;</c> overrides it), its tools, the task runner, the
    /// models, the workspaces, and messaging with the role's task consumer on the role's queue.
    /// </summary>
    public static IHostApplicationBuilder AddAgentService<TCommand>(
        this IHostApplicationBuilder builder, AgentRoute<TCommand> route, Assembly roleAssembly)
        where TCommand : class, IAgentTaskCommand =>
        builder.AddAgentService(route.Role, roleAssembly);

    /// <summary>
    /// The generic agent service: the role named by <c>Agent:Role</c>, as <c>Roles:&lt;name&gt;</c> configures it
    /// (prompt, tools, queue). A configured role's tasks arrive as <see cref="RunAgentTask"/>.
    /// </summary>
    public static IHostApplicationBuilder AddConfiguredAgentService(this IHostApplicationBuilder builder)
    {
        var name = builder.Configuration[RoleSetting];
        if (!AgentRole.TryParse(name, out var role))
        {
            throw new InvalidOperationException(string.IsNullOrWhiteSpace(name)
                ? $"{RoleSetting} is not set: name the role this agent service runs (e.g. {RoleSetting}=ops)."
                : $"{RoleSetting}: '{name}' is not a role name: 1-31 letters, digits or dashes, starting with a letter.");
        }

        // The generic service's application name says nothing about its role: its runner Jobs are labelled by the role.
        builder.Services.Configure<KubernetesJobRunnerOptions>(options => options.Role ??= role.Name);
        return builder.AddAgentService(role, embeddedIn: null);
    }

    private static IHostApplicationBuilder AddAgentService(this IHostApplicationBuilder builder, AgentRole role, Assembly? embeddedIn)
    {
        builder.Services.AddSingleton<AgentTaskRunner>();
        return builder.AddAgentRuntime(role, embeddedIn, (bus, configured, concurrency) =>
            configured.Route.Accept(new TaskConsumerRegistration(bus, concurrency)));
    }

    /// <summary>
    /// What every agent service has, whatever it consumes: the role as <c>Roles:&lt;role&gt;</c> configures it (the
    /// prompt embedded in <paramref name="embeddedIn"/> unless overridden, its tools, its queue), the models, the
    /// sandboxed command runners, cancellations, metrics, and messaging with the consumer
    /// <paramref name="addWorkConsumer"/> registers (given the role and <c>Agents:Concurrency</c>) and the feature-ended
    /// listener.
    /// </summary>
    public static IHostApplicationBuilder AddAgentRuntime(
        this IHostApplicationBuilder builder,
        AgentRole role,
        Assembly? embeddedIn,
        Action<IBusRegistrationConfigurator, ConfiguredRole, int> addWorkConsumer)
    {
        var configured = ConfiguredRoleOf(builder.Configuration, role);
        builder.Services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddAgentRoles();
        builder.Services.AddSingleton(AgentRoleDefinition.From(configured, embeddedIn, builder.Environment.ContentRootPath));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FeatureCancellations>();
        builder.Services.AddSingleton<AgentTaskMetrics>();
        builder.Services.AddSingleton<AgentAttempt>();
        // The bubblewrap sandbox, or a Kubernetes Job per command (Runner:Kind, docs/decisions/0012-kubernetes-job-runner.md).
        builder.Services.AddRepositoryCommandRunners();
        builder.Services.AddOrchestratorModels();
        builder.Services.AddModelDevices();

        // Read here, as the endpoint is configured before options are validated (a value out of range stops the start).
        var concurrency = Math.Clamp(
            builder.Configuration.GetSection(AgentOptions.Section).GetValue<int?>(nameof(AgentOptions.Concurrency)) ?? 1, 1, AgentOptions.MaxConcurrency);
        builder.AddOrchestratorMessaging(x =>
        {
            addWorkConsumer(x, configured, concurrency);
            x.AddConsumer<FeatureEndedConsumer>(FailurePolicy.RetryTransientFailures).Endpoint(e =>
            {
                e.InstanceId = $"{Environment.MachineName}-{Environment.ProcessId}";
                e.Temporary = true;
            });
        });
        return builder;
    }

    // The queue and the prompt are needed while the service is built, before options are validated: the Roles section
    // is checked here, and a problem stops the build with the key to fix.
    private static ConfiguredRole ConfiguredRoleOf(IConfiguration configuration, AgentRole role)
    {
        var options = new AgentRolesOptions();
        configuration.GetSection(AgentRolesOptions.Section).Bind(options.Roles);
        if (new AgentRolesValidation().Validate(null, options) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(AgentRolesOptions.Section, typeof(AgentRolesOptions), invalid.Failures);
        }

        return new AgentRoles(options).Find(role) ?? throw new InvalidOperationException(
            $"{RoleSetting} is '{role.Name}', which is not configured: add {AgentRolesOptions.Section}:{role.Name} " +
            "(Description, SystemPrompt or SystemPromptFile, Tools).");
    }

    /// <summary>The role's task consumer on the role's queue, for whichever command the route carries.</summary>
    private sealed class TaskConsumerRegistration(IBusRegistrationConfigurator bus, int concurrency) : IAgentRouteHandler
    {
        public void Handle<TCommand>(AgentRoute<TCommand> route) where TCommand : class, IAgentTaskCommand =>
            bus.AddConsumer<AgentTaskConsumer<TCommand>>(FailurePolicy.ReportFailuresNeverRetry).Endpoint(e =>
            {
                e.Name = route.Queue;
                // Agents:Concurrency tasks at a time per instance, and no more taken off the queue than that.
                e.PrefetchCount = concurrency;
                e.ConcurrentMessageLimit = concurrency;
            });
    }
}
