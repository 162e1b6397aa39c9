namespace Orchestrator.EndToEnd.Tests.Faults;

/// <summary>What the fault suite does to the running system, each as an operator's bad day would.</summary>
public static class Faults
{
    /// <summary>How long the broker stays down.</summary>
    public static readonly TimeSpan BrokerOutage = TimeSpan.FromSeconds(10);

    /// <summary>The scenarios, by the name the report gives them.</summary>
    public static IReadOnlyList<string> Scenarios { get; } =
        [.. OrchestratorApp.Services.Select(service => $"kill -9 {service}"), "broker stopped for 10 s"];

    /// <summary>Applies <paramref name="scenario"/>; returns once the system is whole again (the service restarted, the broker up).</summary>
    public static Task ApplyAsync(OrchestratorApp app, string scenario) => scenario.StartsWith("kill -9 ", StringComparison.Ordinal)
        ? app.CrashAsync(scenario["kill -9 ".Length..])
        : StopAndStartBrokerAsync(app);

    // Through the project's own script, as the services' broker was started; HOME tells it where the password is kept.
    private static async Task StopAndStartBrokerAsync(OrchestratorApp app)
    {
        Broker("stop");
        await Task.Delay(BrokerOutage, TestContext.Current.CancellationToken);
        Broker("ensure");
        await WaitForHealthyServicesAsync(app);
    }

    // A service's /health includes its bus: it answers 200 once every receive endpoint is connected again.
    private static async Task WaitForHealthyServicesAsync(OrchestratorApp app)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var service in OrchestratorApp.Services)
        {
            var health = new Uri(app.Endpoint(service), "/health");
            var healthy = await Eventually.TrueAsync(async () =>
            {
                try
                {
                    using var response = await client.GetAsync(health, ct);
                    return response.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
                {
                    return false;
                }
            }, TimeSpan.FromMinutes(2));
            Assert.True(healthy, $"{service} did not report healthy within 2 minutes of the broker's return");
        }
    }

    private static void Broker(string command)
    {
        var environment = new Dictionary<string, string> { ["HOME"] = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) };
        if (Environment.GetEnvironmentVariable("ORCHESTRATOR_STATE_DIR") is { Length: > 0 } state)
        {
            environment["ORCHESTRATOR_STATE_DIR"] = state;
        }

        var result = OrchestratorApp.Run(
            "bash", [Path.Combine(OrchestratorApp.RepositoryRoot, "scripts", "rabbitmq.sh"), command], OrchestratorApp.RepositoryRoot, environment);
        Assert.True(result.ExitCode == 0, $"scripts/rabbitmq.sh {command}: {result.Text}");
    }
}
