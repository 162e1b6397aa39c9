using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Orchestrator.EndToEnd.Tests.Roles;

/// <summary>
/// The AppHost's model, built but not started: a role configured under <c>Roles</c> that is not built in gets one
/// generic agent service of its own, told its role, with the section passed on to every service.
/// </summary>
public sealed class ConfiguredRoleModelTests
{
    [Fact]
    public async Task A_configured_role_gets_a_generic_agent_service_named_by_it_and_every_service_gets_the_section()
    {
        await using var builder = await ModelAsync(
            "Roles:ops:Description=CI files",
            "Roles:ops:SystemPromptFile=samples/roles/ops/system.md",
            "Roles:coder:Tools:0=read_file",
            "Agents:Replicas:ops=2");

        var ops = (ProjectResource)builder.Resources.Single(r => r.Name == "ops");
        Assert.EndsWith("Orchestrator.Agents.Service.csproj", ops.GetProjectMetadata().ProjectPath, StringComparison.Ordinal);
        Assert.True(ops.TryGetLastAnnotation<ReplicaAnnotation>(out var replicas) && replicas.Replicas == 2);
        // Built-in roles keep their own services: no second coder.
        Assert.Single(builder.Resources, r => r.Name == "coder");

        var environment = await PlainEnvironmentAsync(ops);
        Assert.Equal("ops", environment["Agent__Role"]);
        Assert.Equal(Path.Combine(OrchestratorApp.RepositoryRoot, "samples", "roles", "ops", "system.md"), environment["Roles__ops__SystemPromptFile"]);
        foreach (var service in new[] { "orchestrator", "coder" })
        {
            var variables = await PlainEnvironmentAsync((ProjectResource)builder.Resources.Single(r => r.Name == service));
            Assert.Equal("CI files", variables["Roles__ops__Description"]);
            Assert.Equal("read_file", variables["Roles__coder__Tools__0"]);
        }
    }

    [Theory]
    [InlineData("orchestrator", "Roles:orchestrator: 'orchestrator' is the name of one of the system's own services")]
    [InlineData("ops team", "Roles:ops team: 'ops team' is not a role name")]
    public async Task A_role_the_apphost_cannot_start_stops_it_naming_the_key(string role, string expected)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ModelAsync($"Roles:{role}:Description=x"));

        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    // The variables a resource's environment callbacks set to plain text (references, such as endpoints, left out).
    private static async Task<IReadOnlyDictionary<string, string>> PlainEnvironmentAsync(ProjectResource resource)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables.Where(v => v.Value is string).ToDictionary(v => v.Key, v => (string)v.Value);
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
}
