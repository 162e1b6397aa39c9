using Orchestrator.AppHost;
using Orchestrator.Deploy.Tests.Support;
using Orchestrator.Messaging;

namespace Orchestrator.Deploy.Tests;

/// <summary>Names and ports as the AppHost and the services know them; each agent role scaled on its own queue.</summary>
public sealed class ServiceTests(Kustomize kustomize)
{
    public static TheoryData<string, string, int> ServicePorts => new()
    {
        { "dev", ResourceNames.Orchestrator, 8080 }, { "dev", ResourceNames.Merge, 8080 },
        { "dev", ResourceNames.Coder, 8080 }, { "dev", ResourceNames.Tester, 8080 }, { "dev", ResourceNames.Docs, 8080 }, { "dev", ResourceNames.Reviewer, 8080 },
        { "dev", "rabbitmq", 5672 }, { "dev", "rabbitmq", 15692 }, { "dev", "postgres", 5432 },
        { "production", ResourceNames.Orchestrator, 8080 }, { "production", ResourceNames.Merge, 8080 },
        { "production", ResourceNames.Coder, 8080 }, { "production", ResourceNames.Tester, 8080 },
        { "production", ResourceNames.Docs, 8080 }, { "production", ResourceNames.Reviewer, 8080 },
        { "production", "rabbitmq", 5672 }, { "production", "rabbitmq", 15692 }, { "production", "postgres", 5432 },
    };

    public static TheoryData<string, string, string> AgentQueues => new()
    {
        { "dev", ResourceNames.Coder, Queues.Coder }, { "dev", ResourceNames.Tester, Queues.Tester }, { "dev", ResourceNames.Docs, Queues.Docs },
        { "dev", ResourceNames.Reviewer, Queues.Reviewer },
        { "production", ResourceNames.Coder, Queues.Coder }, { "production", ResourceNames.Tester, Queues.Tester },
        { "production", ResourceNames.Docs, Queues.Docs }, { "production", ResourceNames.Reviewer, Queues.Reviewer },
    };

    [Theory]
    [MemberData(nameof(ServicePorts))]
    public void Each_service_is_named_as_in_the_apphost_and_forwards_its_port_to_the_pods_that_listen_on_it(string overlay, string name, int port)
    {
        var rendered = kustomize.Overlay(overlay);
        var service = rendered.Single("Service", name).Root;
        var servicePort = service.Items("spec", "ports").Single(p => p.Text("port") == port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var selector = service.Map("spec", "selector");
        Assert.NotEmpty(selector);
        var pods = rendered.Workloads.Where(w => selector.All(l => w.PodLabels.TryGetValue(l.Key, out var value) && value == l.Value)).ToList();
        var workload = Assert.Single(pods);
        Assert.Equal(name, workload.Name);

        // The target names a port the container declares, with the same number.
        var target = servicePort.Text("targetPort");
        var containerPort = workload.Containers.SelectMany(c => c.Items("ports")).Single(p => p.Text("name") == target || p.Text("containerPort") == target);
        Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), containerPort.Text("containerPort"));
    }

    [Theory]
    [MemberData(nameof(AgentQueues))]
    public void Each_agent_role_scales_to_zero_on_the_depth_of_its_own_queue(string overlay, string role, string queue)
    {
        var rendered = kustomize.Overlay(overlay);
        var scaled = rendered.OfKind("ScaledObject").Where(s => s.Root.Text("spec", "scaleTargetRef", "name") == role).ToList();
        var spec = Assert.Single(scaled).Root.At("spec");
        Assert.NotNull(rendered.Single("Deployment", role));
        Assert.Equal("0", spec.Text("minReplicaCount"));
        Assert.True(int.Parse(spec.Text("maxReplicaCount")!, System.Globalization.CultureInfo.InvariantCulture) >= 1);

        var trigger = Assert.Single(spec.Items("triggers"));
        Assert.Equal("rabbitmq", trigger.Text("type"));
        Assert.Equal(queue, trigger.Text("metadata", "queueName"));
        Assert.Equal("QueueLength", trigger.Text("metadata", "mode"));
        // The management API counts the messages agents hold unacknowledged while they work: a busy agent is kept.
        Assert.Equal("http", trigger.Text("metadata", "protocol"));
        Assert.Null(trigger.Text("metadata", "host"));

        // Its target per instance is the number of tasks one instance takes at once.
        Assert.Equal(rendered.ConfigValue("agent-config", "Agents__Concurrency"), trigger.Text("metadata", "value"));

        var authentication = rendered.Single("TriggerAuthentication", trigger.Text("authenticationRef", "name")!).Root;
        var host = Assert.Single(authentication.Items("spec", "secretTargetRef"));
        Assert.Equal("host", host.Text("parameter"));
        Assert.Equal("management-uri", host.Text("key"));
        Assert.StartsWith("orchestrator-messaging", host.Text("name"));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Every_service_gets_the_connection_strings_the_apphost_gives_it(string overlay)
    {
        var rendered = kustomize.Overlay(overlay);
        var expected = new Dictionary<string, string[]>
        {
            [ResourceNames.Orchestrator] = ["ConnectionStrings__messaging", "ConnectionStrings__state", "ConnectionStrings__llm"],
            [ResourceNames.Merge] = ["ConnectionStrings__messaging", "Forge__GitHub__Token"],
            [ResourceNames.Coder] = ["ConnectionStrings__messaging", "ConnectionStrings__llm"],
            [ResourceNames.Tester] = ["ConnectionStrings__messaging", "ConnectionStrings__llm"],
            [ResourceNames.Docs] = ["ConnectionStrings__messaging", "ConnectionStrings__llm"],
            [ResourceNames.Reviewer] = ["ConnectionStrings__messaging", "ConnectionStrings__llm"],
        };
        foreach (var (service, variables) in expected)
        {
            var container = rendered.Single("Deployment", service).Containers.Single();
            var secretVariables = container.Items("env").Where(e => e.At("valueFrom", "secretKeyRef") is not null).Select(e => e.Text("name")!).ToList();
            Assert.Equal(variables.Order(), secretVariables.Where(v => !v.StartsWith("Webhooks__", StringComparison.Ordinal)).Order());
        }

        // The model key never reaches the merge service; the forge token only reaches it.
        Assert.Equal(ResourceNames.Merge, Assert.Single(rendered.Workloads, w => w.AllContainers.Any(c => RenderedOverlay.Env(c, "Forge__GitHub__Token") is not null)).Name);
        Assert.Equal($"http://{ResourceNames.Merge}:8080", rendered.ConfigValue("merge-config", "Merge__Staging__BaseUrl"));
    }
}
