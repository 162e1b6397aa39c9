using Orchestrator.Agents.Reviewer;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddReviewerService();

builder.Build().MapDefaultEndpoints().Run();
