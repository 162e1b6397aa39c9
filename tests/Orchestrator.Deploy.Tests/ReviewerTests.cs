using Orchestrator.AppHost;
using Orchestrator.Deploy.Tests.Support;
using Orchestrator.Messaging.Roles;

namespace Orchestrator.Deploy.Tests;

/// <summary>
/// The reviewer on Kubernetes reads only: no runner Jobs (the merge service's verification already ran the tests), so
/// no Kubernetes permissions, and the read-only tool set by configuration; reviews are on.
/// </summary>
public sealed class ReviewerTests(Kustomize kustomize)
{
    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void The_reviewer_launches_no_runner_jobs_and_holds_no_kubernetes_permissions(string overlay)
    {
        var rendered = kustomize.Overlay(overlay);
        var reviewer = rendered.Single("Deployment", ResourceNames.Reviewer);
        var container = reviewer.Containers.Single();

        Assert.Null(reviewer.PodSpec.Text("serviceAccountName"));
        Assert.Equal("false", reviewer.PodSpec.Text("automountServiceAccountToken"));
        Assert.False(reviewer.PodLabels.TryGetValue("orchestrator.dev/launches-runners", out var launches) && launches == "true",
            $"{overlay}: the reviewer is labelled as launching runner Jobs.");
        Assert.Null(RenderedOverlay.Env(container, "Runner__Kind"));
        Assert.DoesNotContain(container.Items("envFrom"), e => e.Text("configMapRef", "name") == "runner-config");

        // No binding names an account the reviewer runs as, and the API server's policy does not select it.
        var subjects = rendered.OfKind("RoleBinding").SelectMany(b => b.Root.Items("subjects")).Select(s => s.Text("name")).ToList();
        Assert.NotEmpty(subjects);
        Assert.DoesNotContain("default", subjects);
        Assert.DoesNotContain(rendered.OfKind("NetworkPolicy"), p =>
            p.Name == "kubernetes-api" && KubeObject.Selects(p.Root.At("spec", "podSelector"), reviewer.PodLabels));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void The_reviewer_is_given_exactly_the_read_only_tools(string overlay)
    {
        var container = kustomize.Overlay(overlay).Single("Deployment", ResourceNames.Reviewer).Containers.Single();
        var tools = container.Items("env")
            .Where(e => e.Text("name")!.StartsWith("Roles__reviewer__Tools__", StringComparison.Ordinal))
            .OrderBy(e => int.Parse(e.Text("name")!["Roles__reviewer__Tools__".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .Select(e => e.Text("value") ?? string.Empty)
            .ToList();
        Assert.Equal(AgentTools.ReadOnly, tools);
        Assert.DoesNotContain(AgentTools.RunBuild, tools);
        Assert.DoesNotContain(AgentTools.RunTests, tools);
        Assert.DoesNotContain(AgentTools.RunCommand, tools);
        // The consumer reads the role's queue from the same section: it stays the one KEDA scales on.
        Assert.Null(RenderedOverlay.Env(container, "Roles__reviewer__Queue"));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Reviews_are_on_now_that_a_reviewer_runs(string overlay) =>
        Assert.Equal("true", kustomize.Overlay(overlay).ConfigValue("orchestrator-config", "Features__Review"));
}
