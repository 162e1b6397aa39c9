using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// The AppHost's model, built but not started: how many instances of each agent role it runs
/// (<c>Agents:Replicas:&lt;role&gt;</c>) and that an impossible number stops it with the setting's name.
/// </summary>
public sealed class AgentScaleModelTests
{
    [Fact]
    public async Task Each_agent_role_runs_the_configured_number_of_instances_one_by_default()
    {
        await using var builder = await ModelAsync("Agents:Replicas:coder=3", "Agents:Replicas:tester=2");

        Assert.Equal((3, 2, 1), (Replicas(builder, "coder"), Replicas(builder, "tester"), Replicas(builder, "docs")));
    }

    [Fact]
    public async Task An_impossible_number_of_instances_stops_the_apphost_naming_the_setting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ModelAsync("Agents:Replicas:docs=0"));

        Assert.Contains("Agents:Replicas:docs must be between 1 and 16; it is 0.", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<IDistributedApplicationTestingBuilder> ModelAsync(params string[] settings) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.Orchestrator_AppHost>(
        [
            // Nothing starts: these only let the AppHost describe its resources without looking for a broker or a store.
            "ConnectionStrings:messaging=amqp://guest:guest@localhost:5672/",
            "Messaging:Broker=local",
            "ConnectionStrings:llm=Endpoint=http://127.0.0.1:9/v1;Key=sk-test-0123456789;Model=test-model",
            "Api:Keys:model=model-test-key-0123456789abcdef0123",
            .. settings,
        ], TestContext.Current.CancellationToken);

    // Without the annotation Aspire runs one instance.
    private static int Replicas(IDistributedApplicationTestingBuilder builder, string role) =>
        builder.Resources.Single(r => r.Name == role).TryGetLastAnnotation<ReplicaAnnotation>(out var replicas) ? replicas.Replicas : 1;
}
