using Orchestrator.AppHost;
using Orchestrator.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Deploy.Tests;

/// <summary>Who may talk to whom: default deny, then one policy per path the system needs.</summary>
public sealed class NetworkPolicyTests(Kustomize kustomize)
{
    private static readonly Dictionary<string, string> RunnerPod = new()
    {
        ["app.kubernetes.io/part-of"] = "orchestrator",
        ["app.kubernetes.io/component"] = "runner",
        ["orchestrator.dev/role"] = "coder",
        ["orchestrator.dev/network"] = "package-feed",
    };

    // A build or test run without a restore step: the runner labels it so (JobManifest).
    private static readonly Dictionary<string, string> OfflineRunnerPod = new(RunnerPod) { ["orchestrator.dev/network"] = "none" };

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Everything_is_denied_unless_a_policy_allows_it(string overlay)
    {
        var deny = kustomize.Overlay(overlay).Single("NetworkPolicy", "default-deny").Root;
        Assert.Empty(deny.Map("spec", "podSelector"));
        Assert.Equal(["Egress", "Ingress"], deny.Items("spec", "policyTypes").Select(t => t.Text()!).Order());
        Assert.Empty(deny.Items("spec", "ingress"));
        Assert.Empty(deny.Items("spec", "egress"));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Agents_reach_the_broker_and_the_staging_server_but_never_the_forge(string overlay)
    {
        var rendered = kustomize.Overlay(overlay);
        foreach (var role in new[] { ResourceNames.Coder, ResourceNames.Tester, ResourceNames.Docs, ResourceNames.Reviewer })
        {
            var pod = rendered.Single("Deployment", role).PodLabels;
            var egress = EgressOf(rendered, pod).ToList();
            Assert.True(egress.Any(e => e.Peer == "rabbitmq" && e.Port == "5672"), $"{overlay}: {role} cannot reach the broker.");
            Assert.True(egress.Any(e => e.Peer == ResourceNames.Merge && e.Port == "8080"), $"{overlay}: {role} cannot reach the staging server.");
            Assert.DoesNotContain(egress, e => e.Peer == "0.0.0.0/0" && e.Port == "443");
            Assert.DoesNotContain(egress, e => e.Peer == "postgres");
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void The_reviewer_reaches_what_the_other_agents_reach_but_the_kubernetes_api(string overlay)
    {
        var rendered = kustomize.Overlay(overlay);
        var reviewer = EgressOf(rendered, rendered.Single("Deployment", ResourceNames.Reviewer).PodLabels).ToHashSet();
        var docs = EgressOf(rendered, rendered.Single("Deployment", ResourceNames.Docs).PodLabels).ToHashSet();

        Assert.Contains(reviewer, e => e.Policy == "model-endpoint");
        Assert.Equal(["agents", "allow-dns", "model-endpoint"], reviewer.Select(e => e.Policy).Distinct().Order());
        Assert.Equal(docs.Where(e => e.Policy != "kubernetes-api").OrderBy(e => e), reviewer.OrderBy(e => e));
        Assert.Empty(PoliciesFor(rendered, rendered.Single("Deployment", ResourceNames.Reviewer).PodLabels)
            .SelectMany(p => p.Root.Items("spec", "ingress")));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Only_the_merge_service_reaches_https_everywhere_and_only_the_orchestrator_reaches_the_database(string overlay)
    {
        var rendered = kustomize.Overlay(overlay);
        var services = rendered.OfKind("Deployment").ToDictionary(d => d.Name, d => EgressOf(rendered, d.PodLabels).ToList());
        Assert.Contains(services[ResourceNames.Merge], e => e.Peer == "0.0.0.0/0" && e.Port == "443");
        Assert.All(services.Where(s => s.Key != ResourceNames.Merge),
            s => Assert.DoesNotContain(s.Value, e => e.Peer == "0.0.0.0/0" && e.Port == "443"));
        Assert.All(services.Where(s => s.Key != ResourceNames.Orchestrator), s => Assert.DoesNotContain(s.Value, e => e.Peer == "postgres"));
        Assert.Contains(services[ResourceNames.Orchestrator], e => e.Peer == "postgres" && e.Port == "5432");

        var postgresIngress = PoliciesFor(rendered, rendered.Single("StatefulSet", "postgres").PodLabels)
            .SelectMany(p => p.Root.Items("spec", "ingress")).SelectMany(r => r.Items("from")).ToList();
        Assert.All(postgresIngress, from => Assert.Equal(ResourceNames.Orchestrator, from.Text("podSelector", "matchLabels", "app.kubernetes.io/name")));
        Assert.NotEmpty(postgresIngress);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Runner_jobs_reach_only_the_staging_server_dns_and_the_package_feed(string overlay)
    {
        var rendered = kustomize.Overlay(overlay);
        var egress = EgressOf(rendered, RunnerPod).ToList();
        Assert.Contains(egress, e => e.Peer == ResourceNames.Merge && e.Port == "8080");
        var allowed = egress.Where(e => e.Policy is "runner" or "allow-dns" or "runner-package-feed").ToList();
        Assert.Equal(egress, allowed);
        Assert.All(egress.Where(e => e.Policy == "runner-package-feed"), e => Assert.Equal("443", e.Port));
        Assert.Empty(PoliciesFor(rendered, RunnerPod).SelectMany(p => p.Root.Items("spec", "ingress")));
        Assert.DoesNotContain(EgressOf(rendered, OfflineRunnerPod), e => e.Policy == "runner-package-feed");
    }

    [Fact]
    public void In_production_only_a_runner_pod_with_a_restore_step_reaches_the_package_feed()
    {
        var rendered = kustomize.Overlay("production");
        Assert.Contains(EgressOf(rendered, RunnerPod), e => e.Policy == "runner-package-feed");
        Assert.DoesNotContain(EgressOf(rendered, OfflineRunnerPod), e => e.Policy == "runner-package-feed");
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void The_orchestrators_planner_reaches_the_staging_server_and_the_staging_server_lets_it_in(string overlay)
    {
        var rendered = kustomize.Overlay(overlay);
        var orchestrator = rendered.Single("Deployment", ResourceNames.Orchestrator).PodLabels;
        Assert.Contains(EgressOf(rendered, orchestrator), e => e.Peer == ResourceNames.Merge && e.Port == "8080");
        var mergeIngress = PoliciesFor(rendered, rendered.Single("Deployment", ResourceNames.Merge).PodLabels)
            .SelectMany(p => p.Root.Items("spec", "ingress")).SelectMany(r => r.Items("from")).ToList();
        Assert.Contains(mergeIngress, from => from.Text("podSelector", "matchLabels", "app.kubernetes.io/name") == ResourceNames.Orchestrator);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void The_orchestrator_is_reached_on_8080_only_from_the_ingress_namespace(string overlay)
    {
        var rendered = kustomize.Overlay(overlay);
        var rules = PoliciesFor(rendered, rendered.Single("Deployment", ResourceNames.Orchestrator).PodLabels)
            .SelectMany(p => p.Root.Items("spec", "ingress")).ToList();
        var rule = Assert.Single(rules);
        Assert.Equal("8080", Assert.Single(rule.Items("ports")).Text("port"));
        Assert.Equal("true", Assert.Single(rule.Items("from")).Text("namespaceSelector", "matchLabels", "orchestrator.dev/ingress"));
    }

    private static IEnumerable<KubeObject> PoliciesFor(RenderedOverlay overlay, IReadOnlyDictionary<string, string> pod) =>
        overlay.OfKind("NetworkPolicy").Where(p => KubeObject.Selects(p.Root.At("spec", "podSelector"), pod));

    /// <summary>Every (peer, port) a pod's policies let it reach: a peer is a pod's name label, a CIDR, or "dns".</summary>
    private static IEnumerable<(string Policy, string Peer, string Port)> EgressOf(RenderedOverlay overlay, IReadOnlyDictionary<string, string> pod)
    {
        foreach (var policy in PoliciesFor(overlay, pod))
        {
            foreach (var rule in policy.Root.Items("spec", "egress"))
            {
                var ports = rule.Items("ports").Select(p => p.Text("port") ?? "any").DefaultIfEmpty("any").ToList();
                // A rule without peers reaches everywhere.
                foreach (var peer in rule.Items("to").Select(Peer).DefaultIfEmpty("0.0.0.0/0"))
                {
                    foreach (var port in ports)
                    {
                        yield return (policy.Name, peer, port);
                    }
                }
            }
        }
    }

    private static string Peer(YamlNode to) =>
        to.Text("ipBlock", "cidr")
        ?? to.Text("podSelector", "matchLabels", "app.kubernetes.io/name")
        ?? (to.Text("podSelector", "matchLabels", "k8s-app") == "kube-dns" ? "dns" : null)
        ?? (to.Text("podSelector", "matchLabels", "orchestrator.dev/model-endpoint") == "true" ? "model" : "other");
}
