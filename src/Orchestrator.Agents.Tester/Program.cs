using Orchestrator.Agents;
using Orchestrator.Agents.Tester;
using Orchestrator.Contracts;
using Orchestrator.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAgentService<WriteTestsConsumer>(AgentRole.Tester, Queues.Tester, typeof(WriteTestsConsumer).Assembly);

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
