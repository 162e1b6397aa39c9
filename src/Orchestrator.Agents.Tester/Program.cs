using Orchestrator.Agents;
using Orchestrator.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAgentService(AgentRoutes.Tester, typeof(Program).Assembly);

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
