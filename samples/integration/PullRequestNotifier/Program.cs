using Microsoft.Extensions.Hosting;
using PullRequestNotifier;

var builder = Host.CreateApplicationBuilder(args);

builder.AddPullRequestNotifier();

builder.Build().Run();
