using Orchestrator;
using Orchestrator.Http;
using Orchestrator.Http.Access;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrchestratorServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseApiAccess();
app.MapDefaultEndpoints();
app.MapFeatureEndpoints();

app.Run();
