namespace Orchestrator.EndToEnd.Tests.Faults;

/// <summary>What the fault suite does to the running system, each as an operator's bad day would.</summary>
public static class Faults
{
    /// <summary>How long the broker stays down.</summary>
    public static readonly TimeSpan BrokerOutage = TimeSpan.FromSeconds(10);

    /// <summary>How long the state store (PostgreSQL) stays down.</summary>
    public static readonly TimeSpan DatabaseOutage = TimeSpan.FromSeconds(10);

    private const string BrokerStopped = "broker stopped for 10 s";
    private const string DatabaseStopped = "PostgreSQL stopped for 10 s";

    /// <summary>The scenarios, by the name the report gives them.</summary>
    public static IReadOnlyList<string> Scenarios { get; } =
        [.. OrchestratorApp.Services.Select(service => $"kill -9 {service}"), BrokerStopped, DatabaseStopped];

    /// <summary>Applies <paramref name="scenario"/>; returns once the system is whole again (the service restarted, the broker or database up).</summary>
    public static Task ApplyAsync(OrchestratorApp app, string scenario) => scenario switch
    {
        BrokerStopped => StopAndStartAsync(app, "rabbitmq.sh", BrokerOutage),
        DatabaseStopped => StopAndStartAsync(app, "postgres.sh", DatabaseOutage),
        _ => app.CrashAsync(scenario["kill -9 ".Length..]),
    };

    // Through the project's own scripts, as the services' broker and database were started; HOME tells them where the
    // passwords are kept.
    private static async Task StopAndStartAsync(OrchestratorApp app, string script, TimeSpan outage)
    {
        Script(script, "stop");
        await Task.Delay(outage, TestContext.Current.CancellationToken);
        Script(script, "ensure");
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
            Assert.True(healthy, $"{service} did not report healthy within 2 minutes of the broker's or database's return");
        }
    }

    private static void Script(string script, string command)
    {
        var environment = new Dictionary<string, string> { ["HOME"] = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) };
        if (Environment.GetEnvironmentVariable("ORCHESTRATOR_STATE_DIR") is { Length: > 0 } state)
        {
            environment["ORCHESTRATOR_STATE_DIR"] = state;
        }

        var result = OrchestratorApp.Run(
            "bash", [Path.Combine(OrchestratorApp.RepositoryRoot, "scripts", script), command], OrchestratorApp.RepositoryRoot, environment);
        Assert.True(result.ExitCode == 0, $"scripts/{script} {command}: {result.Text}");
    }
}
