using Orchestrator.Agents;
using Orchestrator.Agents.Coder;
using Orchestrator.Contracts;
using Orchestrator.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAgentService<ImplementTaskConsumer>(AgentRole.Coder, Queues.Coder, typeof(ImplementTaskConsumer).Assembly);

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
