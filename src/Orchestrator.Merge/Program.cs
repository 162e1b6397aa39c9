using Orchestrator.Merge;
using Orchestrator.Merge.Staging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMergeServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGitStaging();

app.Run();
