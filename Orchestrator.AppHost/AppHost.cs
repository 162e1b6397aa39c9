using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Orchestrator.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

// A service whose process dies is started again (Aspire would leave it Exited).
builder.Services.AddHostedService<ResourceSupervisor>();

// RabbitMQ: a container when a container runtime answers, otherwise the local broker that ./scripts/rabbitmq.sh
// installs and starts, reached through ConnectionStrings:messaging.
IResourceBuilder<IResourceWithConnectionString> messaging = await ContainerRuntime.IsAvailableAsync(builder.Configuration)
    ? builder.AddRabbitMQ(ResourceNames.Messaging).WithManagementPlugin()
    : builder.AddConnectionString(ResourceNames.Messaging);

var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));

// Any OpenAI-compatible endpoint (ConnectionStrings:llm, see docs/real-models.md); unset: the offline scripted model.
// Only the planner and the agents receive it: its key never reaches the merge service.
var llm = string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ResourceNames.Llm))
    ? null
    : builder.AddConnectionString(ResourceNames.Llm);

// Roles:<name> (docs/architecture.md, "Roles"): one generic agent service per role that is not built in.
builder.AddConfiguredRoles(messaging, llm, repositoryRoot);

// The merge service is the only holder of forge credentials: it also serves the staging repositories the agents
// clone from and push to, and checks repositories for the API.
var merge = builder.AddProject<Projects.Orchestrator_Merge>(ResourceNames.Merge)
    .WithOrchestratorDefaults(builder.Configuration, messaging)
    .WithForgeConfiguration(builder);
merge.WithEnvironment("Merge__Staging__BaseUrl", merge.GetEndpoint("http"));
// Where people reach the API (unset by default): the pull request then links each task's transcript there.
if (builder.Configuration["Orchestrator:PublicUrl"] is { Length: > 0 } publicUrl)
{
    merge.WithEnvironment("Orchestrator__PublicUrl", publicUrl);
}

// Durable feature state (saga instances): a SQLite file by default, PostgreSQL for several orchestrators.
await builder.AddProject<Projects.Orchestrator>(ResourceNames.Orchestrator)
    .WithOrchestratorDefaults(builder.Configuration, messaging)
    .WithModelDevices(builder.Configuration, repositoryRoot)
    .WithModel(llm)
    .WithApiAccess(builder)
    .WithIssueWebhooks(builder)
    .WithOutgoingWebhooks(builder)
    .WithExternalHttpEndpoints()
    .WaitFor(merge)
    .WithStateStoreAsync(builder, repositoryRoot);

builder.AddProject<Projects.Orchestrator_Agents_Coder>(ResourceNames.Coder)
    .WithOrchestratorDefaults(builder.Configuration, messaging)
    .WithModel(llm)
    .WithAgentReplicas(builder.Configuration);
builder.AddProject<Projects.Orchestrator_Agents_Tester>(ResourceNames.Tester)
    .WithOrchestratorDefaults(builder.Configuration, messaging)
    .WithModel(llm)
    .WithAgentReplicas(builder.Configuration);
builder.AddProject<Projects.Orchestrator_Agents_Docs>(ResourceNames.Docs)
    .WithOrchestratorDefaults(builder.Configuration, messaging)
    .WithModel(llm)
    .WithAgentReplicas(builder.Configuration);
// Reviews each verified feature before its pull request opens (docs/decisions/0015-reviewer.md).
builder.AddProject<Projects.Orchestrator_Agents_Reviewer>(ResourceNames.Reviewer)
    .WithOrchestratorDefaults(builder.Configuration, messaging)
    .WithModel(llm)
    .WithAgentReplicas(builder.Configuration);

builder.Build().Run();
