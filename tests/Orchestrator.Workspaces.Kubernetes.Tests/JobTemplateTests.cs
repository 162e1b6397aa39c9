using k8s;
using k8s.Models;
using Orchestrator.Tests.Support;

namespace Orchestrator.Workspaces.Kubernetes.Tests;

/// <summary>
/// deploy/kubernetes/base/runner-job.yaml shows operators the Job this runner starts (for their NetworkPolicies, quotas
/// and admission rules). It is a copy, so it is checked against the Job the runner really builds: the same labels,
/// containers, mounts, variables and restrictions — only the per-run values (names, commands, the commit) differ.
/// </summary>
public sealed class JobTemplateTests
{
    private static readonly string TemplatePath = Path.Combine(SourceTree.Root, "deploy", "kubernetes", "base", "runner-job.yaml");

    private readonly V1Job _template = KubernetesYaml.Deserialize<V1Job>(File.ReadAllText(TemplatePath));
    private readonly V1Job _built = Built();

    [Fact]
    public void The_documented_job_has_the_labels_the_runner_puts_on_its_jobs_and_pods()
    {
        Assert.Equal(_built.Metadata.Labels.Keys.Order(), _template.Metadata.Labels.Keys.Order());
        Assert.Equal(_built.Spec.Template.Metadata.Labels.Keys.Order(), _template.Spec.Template.Metadata.Labels.Keys.Order());
        Assert.Equal("runner", _template.Spec.Template.Metadata.Labels["app.kubernetes.io/component"]);
    }

    [Fact]
    public void The_documented_job_runs_the_runners_containers_with_the_same_mounts_variables_and_restrictions()
    {
        var (template, built) = (_template.Spec.Template.Spec, _built.Spec.Template.Spec);
        Assert.Equal(Shape(built.InitContainers), Shape(template.InitContainers));
        Assert.Equal(Shape(built.Containers), Shape(template.Containers));
        Assert.Equal(built.Volumes.Select(v => $"{v.Name}:{v.EmptyDir.SizeLimit}"), template.Volumes.Select(v => $"{v.Name}:{v.EmptyDir.SizeLimit}"));
        Assert.Equal(
            (built.ServiceAccountName, built.AutomountServiceAccountToken, built.EnableServiceLinks, built.RestartPolicy),
            (template.ServiceAccountName, template.AutomountServiceAccountToken, template.EnableServiceLinks, template.RestartPolicy));
        Assert.Equal(
            (built.SecurityContext.RunAsNonRoot, built.SecurityContext.RunAsUser, built.SecurityContext.SeccompProfile.Type),
            (template.SecurityContext.RunAsNonRoot, template.SecurityContext.RunAsUser, template.SecurityContext.SeccompProfile.Type));
        Assert.Equal((_built.Spec.BackoffLimit, _built.Spec.ActiveDeadlineSeconds, _built.Spec.TtlSecondsAfterFinished),
            (_template.Spec.BackoffLimit, _template.Spec.ActiveDeadlineSeconds, _template.Spec.TtlSecondsAfterFinished));
    }

    // What must agree per container: its name, what it mounts where, which variables it gets (and from which Secret
    // kind), and its restrictions.
    private static IEnumerable<string> Shape(IEnumerable<V1Container>? containers) =>
        (containers ?? []).Select(c => string.Join(" | ",
            c.Name,
            c.WorkingDir ?? "-",
            string.Join(",", (c.VolumeMounts ?? []).Select(m => $"{m.Name}:{m.MountPath}")),
            string.Join(",", (c.Env ?? []).Select(e => e.Name)),
            (c.EnvFrom ?? []).Any(e => e.SecretRef is not null) ? "secret" : "no-secret",
            $"{c.SecurityContext.AllowPrivilegeEscalation}/{c.SecurityContext.ReadOnlyRootFilesystem}/{string.Join(",", c.SecurityContext.Capabilities.Drop)}"));

    // A run with a restore step, as the agents' build and test tools ask for one, under the default options.
    private static V1Job Built()
    {
        var remote = new RemoteWorkspace("http://merge:8080/staging/f.git", new Dictionary<string, string> { ["GIT_CONFIG_COUNT"] = "0" }, "refs/orchestrator/runs/tasks/t");
        var request = new RepositoryCommandRequest("/unused", new RepositoryCommand("dotnet", ["build"]))
        {
            Remote = remote,
            RestoreFirst = new RepositoryCommand("dotnet", ["restore"]),
        };
        var options = new KubernetesJobRunnerOptions { Image = "mcr.microsoft.com/dotnet/sdk:10.0.401" };
        var runId = new string('a', 32);
        return new JobManifest(runId, "coder", $"{remote.RunRefPrefix}/{runId}", new string('b', 40), request, options).Job();
    }
}
