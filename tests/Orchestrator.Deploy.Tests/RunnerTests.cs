using Orchestrator.AppHost;
using Orchestrator.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Deploy.Tests;

/// <summary>The runner Jobs' permissions and shape, as the contract with the Kubernetes runner states them.</summary>
public sealed class RunnerTests(Kustomize kustomize)
{
    private static readonly string[] Launchers = [ResourceNames.Coder, ResourceNames.Tester, ResourceNames.Docs, ResourceNames.Merge];

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void The_launchers_role_grants_only_jobs_pods_logs_and_secrets_in_the_namespace(string overlay)
    {
        var rendered = kustomize.Overlay(overlay);
        Assert.Empty(rendered.OfKind("ClusterRole"));
        Assert.Empty(rendered.OfKind("ClusterRoleBinding"));

        var role = Assert.Single(rendered.OfKind("Role"));
        Assert.Equal("orchestrator-runner-launcher", role.Name);
        var grants = role.Root.Items("rules")
            .SelectMany(r => r.Items("apiGroups").SelectMany(g => r.Items("resources").SelectMany(res => r.Items("verbs")
                .Select(v => $"{g.Text()}/{res.Text()}:{v.Text()}"))))
            .Order()
            .ToList();
        string[] expected =
        [
            "/pods/log:get", "/pods:get", "/pods:list", "/pods:watch",
            "/secrets:create", "/secrets:delete", "/secrets:get",
            "batch/jobs:create", "batch/jobs:delete", "batch/jobs:get", "batch/jobs:list", "batch/jobs:watch",
        ];
        Assert.Equal(expected.Order(), grants);
        Assert.DoesNotContain(role.Root.Scalars(), s => s.Value == "*");

        var binding = Assert.Single(rendered.OfKind("RoleBinding")).Root;
        Assert.Equal("Role", binding.Text("roleRef", "kind"));
        Assert.Equal(role.Name, binding.Text("roleRef", "name"));
        var subject = Assert.Single(binding.Items("subjects"));
        Assert.Equal(("ServiceAccount", "orchestrator-agent"), (subject.Text("kind"), subject.Text("name")));
        Assert.Equal(role.Root.Text("metadata", "namespace"), subject.Text("namespace"));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Only_the_services_that_launch_jobs_hold_a_kubernetes_token(string overlay)
    {
        var rendered = kustomize.Overlay(overlay);
        foreach (var workload in rendered.Workloads)
        {
            var launches = Launchers.Contains(workload.Name);
            Assert.Equal(launches ? "orchestrator-agent" : null, workload.PodSpec.Text("serviceAccountName"));
            Assert.Equal(launches ? null : "false", workload.PodSpec.Text("automountServiceAccountToken"));
        }

        var runnerAccount = rendered.Single("ServiceAccount", "orchestrator-runner").Root;
        Assert.Equal("false", runnerAccount.Text("automountServiceAccountToken"));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Repository_commands_run_in_runner_jobs_shaped_by_the_runner_configuration(string overlay)
    {
        var rendered = kustomize.Overlay(overlay);
        foreach (var launcher in Launchers)
        {
            var container = rendered.Single("Deployment", launcher).Containers.Single();
            Assert.Equal("KubernetesJob", RenderedOverlay.Env(container, "Runner__Kind").Text("value"));
            Assert.Contains(container.Items("envFrom"), e => e.Text("configMapRef", "name") == "runner-config");
        }

        Assert.Equal("orchestrator-runner", rendered.ConfigValue("runner-config", "Runner__Kubernetes__ServiceAccountName"));
        foreach (var key in new[] { "Image", "CpuRequest", "CpuLimit", "MemoryRequest", "MemoryLimit", "ActiveDeadlineSeconds", "TtlSecondsAfterFinished" })
        {
            Assert.False(string.IsNullOrEmpty(rendered.ConfigValue("runner-config", $"Runner__Kubernetes__{key}")), $"{overlay}: runner-config has no {key}.");
        }
    }

    [Fact]
    public void The_job_template_carries_the_contracts_labels_identity_and_restrictions()
    {
        var rendered = kustomize.Overlay("production");
        var job = JobTemplate(rendered);
        Assert.Equal("Job", job.Text("kind"));
        var pod = job.At("spec", "template");
        foreach (var labels in new[] { job.Map("metadata", "labels"), pod.Map("metadata", "labels") })
        {
            Assert.Equal("orchestrator", labels["app.kubernetes.io/part-of"]);
            Assert.Equal("runner", labels["app.kubernetes.io/component"]);
            Assert.True(labels.ContainsKey("orchestrator.dev/role"));
        }

        var spec = pod.At("spec");
        Assert.Equal("orchestrator-runner", spec.Text("serviceAccountName"));
        Assert.Equal("false", spec.Text("automountServiceAccountToken"));
        Assert.Equal("true", spec.Text("securityContext", "runAsNonRoot"));
        Assert.Equal("Never", spec.Text("restartPolicy"));
        Assert.Equal("0", job.Text("spec", "backoffLimit"));
        foreach (var container in spec.Items("initContainers").Concat(spec.Items("containers")))
        {
            Assert.Equal("false", container.Text("securityContext", "allowPrivilegeEscalation"));
            Assert.Contains(container.Items("securityContext", "capabilities", "drop"), c => c.Text() == "ALL");
            Assert.Equal(rendered.ConfigValue("runner-config", "Runner__Kubernetes__Image"), container.Text("image"));
        }

        // The staging credential reaches the clone (the init container "workspace") only, never the restore or the command.
        var credentialed = spec.Items("initContainers").Concat(spec.Items("containers"))
            .Where(c => c.Scalars().Any(s => s.Key is "secretKeyRef" or "secretRef" || s.Value.Contains("-git", StringComparison.Ordinal)))
            .Select(c => c.Text("name"));
        Assert.Equal(["workspace"], credentialed);

        // The base's defaults, as the contract states them.
        var baseConfig = new Dictionary<string, string>
        {
            ["ActiveDeadlineSeconds"] = job.Text("spec", "activeDeadlineSeconds")!,
            ["TtlSecondsAfterFinished"] = job.Text("spec", "ttlSecondsAfterFinished")!,
        };
        var dev = kustomize.Overlay("dev");
        Assert.All(baseConfig, c => Assert.Equal(c.Value, dev.ConfigValue("runner-config", $"Runner__Kubernetes__{c.Key}")));
    }

    private static YamlNode JobTemplate(RenderedOverlay overlay)
    {
        var text = overlay.ConfigValue("runner-job-template", "runner-job.yaml");
        Assert.False(string.IsNullOrEmpty(text));
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Single().RootNode;
    }
}
