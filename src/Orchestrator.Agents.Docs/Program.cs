using Orchestrator.Agents;
using Orchestrator.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAgentService(AgentRoutes.Docs, typeof(Program).Assembly);

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
