using Orchestrator.Agents;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// The role comes from configuration (Agent:Role, with Roles:<name>): no code per role.
builder.AddConfiguredAgentService();

builder.Build().MapDefaultEndpoints().Run();
