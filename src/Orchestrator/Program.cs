using Orchestrator;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrchestratorServices();

var app = builder.Build();
app.UseOrchestratorApi();
app.Run();
