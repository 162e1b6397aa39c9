using Microsoft.Extensions.Hosting;
using PullRequestNotifier;

// appsettings.json beside the program, wherever it is started from (dotnet run --project keeps the caller's folder).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.AddPullRequestNotifier();

builder.Build().Run();
