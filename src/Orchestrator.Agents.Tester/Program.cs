using Orchestrator.Agents;
using Orchestrator.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAgentService(AgentRoutes.Tester, typeof(Program).Assembly);

builder.Build().MapDefaultEndpoints().Run();
