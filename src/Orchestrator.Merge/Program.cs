using Orchestrator.Merge;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMergeServices();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
