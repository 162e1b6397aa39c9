using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Agents.Reviewer;
using Orchestrator.Contracts;
using Orchestrator.Llm.Devices;
using Orchestrator.Messaging;

namespace Orchestrator.Agents.Tests.Support;

/// <summary>The Reviewer service as its Program.cs builds it, on MassTransit's in-memory test harness (like <see cref="AgentHost"/>).</summary>
internal sealed class ReviewerHost : IAsyncDisposable
{
    private readonly IHost _host;

    private ReviewerHost(IHost host, string scriptsPath)
    {
        _host = host;
        ScriptsPath = scriptsPath;
        Harness = host.Services.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }

    public string ScriptsPath { get; }

    public static async Task<ReviewerHost> StartAsync(TempDirectory temp)
    {
        var scriptsPath = temp.CreateDirectory("scripts");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:messaging"] = "amqp://guest:guest@localhost:5672/",
            ["Models:ScriptsPath"] = scriptsPath,
            ["Agents:WorkRoot"] = temp.CreateDirectory("review-work"),
            ["Agents:CommandTimeout"] = TimeSpan.FromMinutes(2).ToString(),
        });
        builder.Logging.AddProvider(new TestOutputLoggerProvider(TestContext.Current.TestOutputHelper));
        builder.AddReviewerService();
        builder.Services.AddModelDeviceKeeper();
        builder.Services.AddMassTransitTestHarness(TextWriter.Null, x =>
        {
            x.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(3));
            x.AddModelDeviceKeeperConsumers();
        });

        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30));
        return new ReviewerHost(host, scriptsPath);
    }

    public void WriteScript(string name, string json) => File.WriteAllText(Path.Combine(ScriptsPath, name + ".json"), json);

    public async Task SendAsync(ReviewFeature review)
    {
        var endpoint = await Harness.Bus.GetSendEndpoint(Queues.Address(Queues.Reviewer));
        await endpoint.Send(review, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>The FeatureReviewed or TaskFailed published for this attempt; fails on a fault or a timeout.</summary>
    public Task<object> OutcomeAsync(TaskAssignment task) =>
        Harness.OutcomeAsync(m => m switch
        {
            FeatureReviewed r => r.FeatureId == task.FeatureId && r.TaskId == task.TaskId && r.Attempt == task.Attempt,
            TaskFailed f => f.FeatureId == task.FeatureId && f.TaskId == task.TaskId && f.Attempt == task.Attempt,
            Fault<ReviewFeature> fault => fault.Message.Task.FeatureId == task.FeatureId,
            _ => false,
        }, $"review {task.TaskId} attempt {task.Attempt}");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
