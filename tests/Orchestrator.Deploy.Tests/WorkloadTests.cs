using Microsoft.Extensions.Hosting;
using Orchestrator.AppHost;
using Orchestrator.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Deploy.Tests;

/// <summary>Every pod the overlays run: probes, resources and security settings.</summary>
public sealed class WorkloadTests(Kustomize kustomize)
{
    private static readonly string[] Services =
        [ResourceNames.Orchestrator, ResourceNames.Merge, ResourceNames.Coder, ResourceNames.Tester, ResourceNames.Docs, ResourceNames.Reviewer];

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Every_service_is_probed_on_the_health_endpoints_the_service_maps(string overlay)
    {
        var rendered = kustomize.Overlay(overlay);
        foreach (var service in Services)
        {
            var container = rendered.Single("Deployment", service).Containers.Single();
            var port = NamedPort(container, "http");
            Assert.Equal(Extensions.HealthEndpointPath, container.Text("readinessProbe", "httpGet", "path"));
            Assert.Equal(Extensions.AlivenessEndpointPath, container.Text("livenessProbe", "httpGet", "path"));
            foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
            {
                var probePort = container.Text(probe, "httpGet", "port");
                Assert.True(probePort == "http" || probePort == port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"{overlay}: {service}'s {probe} probes port {probePort}, not its http port {port}.");
            }
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Every_stateful_set_has_readiness_and_liveness_probes(string overlay)
    {
        var statefulSets = kustomize.Overlay(overlay).OfKind("StatefulSet").ToList();
        Assert.Equal(["postgres", "rabbitmq"], statefulSets.Select(s => s.Name).Order());
        foreach (var container in statefulSets.SelectMany(s => s.Containers))
        {
            Assert.NotNull(container.At("readinessProbe"));
            Assert.NotNull(container.At("livenessProbe"));
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Every_container_has_cpu_and_memory_requests_and_limits(string overlay)
    {
        foreach (var workload in kustomize.Overlay(overlay).Workloads)
        {
            foreach (var container in workload.AllContainers)
            {
                foreach (var kind in new[] { "requests", "limits" })
                {
                    foreach (var resource in new[] { "cpu", "memory" })
                    {
                        Assert.False(string.IsNullOrEmpty(container.Text("resources", kind, resource)),
                            $"{overlay}: {workload}/{container.Text("name")} has no {kind}.{resource}.");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Every_pod_runs_as_non_root_without_privilege_escalation_or_capabilities(string overlay)
    {
        foreach (var workload in kustomize.Overlay(overlay).Workloads)
        {
            Assert.Equal("true", workload.PodSpec.Text("securityContext", "runAsNonRoot"));
            Assert.NotEqual("0", workload.PodSpec.Text("securityContext", "runAsUser"));
            foreach (var container in workload.AllContainers)
            {
                var name = $"{overlay}: {workload}/{container.Text("name")}";
                Assert.True(container.Text("securityContext", "allowPrivilegeEscalation") == "false", $"{name} may escalate privileges.");
                Assert.True(container.Items("securityContext", "capabilities", "drop").Any(c => c.Text() == "ALL"), $"{name} keeps capabilities.");
                Assert.True(container.Text("securityContext", "privileged") != "true", $"{name} is privileged.");
            }
        }

        // Our own services write only to their volumes.
        foreach (var service in Services)
        {
            var container = kustomize.Overlay(overlay).Single("Deployment", service).Containers.Single();
            Assert.Equal("true", container.Text("securityContext", "readOnlyRootFilesystem"));
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Every_config_map_a_pod_reads_is_in_the_overlay(string overlay)
    {
        var rendered = kustomize.Overlay(overlay);
        var configMaps = rendered.OfKind("ConfigMap").Select(c => c.Name).ToHashSet();
        var referenced = rendered.Workloads
            .SelectMany(w => w.AllContainers.SelectMany(c => c.Items("envFrom")).Select(e => e.Text("configMapRef", "name"))
                .Concat(w.PodSpec.Items("volumes").Select(v => v.Text("configMap", "name"))))
            .OfType<string>()
            .ToList();
        Assert.NotEmpty(referenced);
        Assert.All(referenced, name => Assert.Contains(name, configMaps));
    }

    [Fact]
    public void Production_runs_two_orchestrators_behind_an_ingress_with_tls_and_disruption_budgets()
    {
        var production = kustomize.Overlay("production");
        Assert.Equal("2", production.Single("Deployment", ResourceNames.Orchestrator).Root.Text("spec", "replicas"));

        var ingress = production.OfKind("Ingress").Single();
        var tlsHosts = ingress.Root.Items("spec", "tls").SelectMany(t => t.Items("hosts")).Select(h => h.Text()).ToList();
        Assert.NotEmpty(ingress.Root.Items("spec", "tls").Select(t => t.Text("secretName")).OfType<string>());
        foreach (var rule in ingress.Root.Items("spec", "rules"))
        {
            Assert.Contains(rule.Text("host"), tlsHosts);
            var backend = rule.Items("http", "paths").Single().At("backend", "service");
            Assert.Equal(ResourceNames.Orchestrator, backend.Text("name"));
            Assert.Equal("http", backend.Text("port", "name"));
        }

        var budgets = production.OfKind("PodDisruptionBudget").Select(p => p.Root.Text("spec", "selector", "matchLabels", "app.kubernetes.io/name")).ToList();
        Assert.Equal([ResourceNames.Coder, ResourceNames.Docs, ResourceNames.Orchestrator, ResourceNames.Reviewer, ResourceNames.Tester], budgets.Order());
    }

    [Fact]
    public void Dev_runs_one_instance_of_everything_with_small_requests()
    {
        var dev = kustomize.Overlay("dev");
        Assert.All(dev.Workloads, w => Assert.True(w.Root.Text("spec", "replicas") is null or "1", $"dev: {w} runs more than one instance."));
        Assert.All(dev.OfKind("ScaledObject"), s => Assert.Equal("1", s.Root.Text("spec", "maxReplicaCount")));
        Assert.All(dev.Workloads.SelectMany(w => w.Containers), c => Assert.True(Millicores(c.Text("resources", "requests", "cpu")!) <= 100,
            $"dev: {c.Text("name")} requests {c.Text("resources", "requests", "cpu")} CPU."));
        Assert.Empty(dev.OfKind("Ingress"));
    }

    private static double Millicores(string quantity) => quantity.EndsWith('m')
        ? double.Parse(quantity[..^1], System.Globalization.CultureInfo.InvariantCulture)
        : double.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture) * 1000;

    private static int NamedPort(YamlNode container, string name) =>
        int.Parse(container.Items("ports").Single(p => p.Text("name") == name).Text("containerPort")!, System.Globalization.CultureInfo.InvariantCulture);
}
