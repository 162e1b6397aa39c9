using Orchestrator.Agents;
using Orchestrator.Agents.Docs;
using Orchestrator.Contracts;
using Orchestrator.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAgentService<WriteDocsConsumer>(AgentRole.Docs, Queues.Docs, typeof(WriteDocsConsumer).Assembly);

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
