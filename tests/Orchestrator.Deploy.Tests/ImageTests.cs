using Orchestrator.Deploy.Tests.Support;

namespace Orchestrator.Deploy.Tests;

/// <summary>The images the manifests run are the ones the projects' container settings build, pinned.</summary>
public sealed class ImageTests(Kustomize kustomize)
{
    [Fact]
    public void Each_service_project_builds_a_non_root_image_listening_on_8080_from_a_pinned_base()
    {
        Assert.Equal(6, ContainerSettings.All.Count);
        foreach (var (service, settings) in ContainerSettings.All)
        {
            Assert.Equal($"orchestrator/{service}", settings.Repository);
            Assert.Equal([8080], settings.Ports);
            Assert.True(int.TryParse(settings.User, out var uid) && uid > 0, $"{service} runs as '{settings.User}', not a non-root uid.");
            AssertPinned(settings.BaseImage);
            AssertPinned($"{settings.Repository}:{settings.Tag}");
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Every_image_is_pinned_and_the_services_run_the_images_their_projects_build(string overlay)
    {
        var rendered = kustomize.Overlay(overlay);
        foreach (var workload in rendered.Workloads)
        {
            Assert.All(workload.AllContainers, c => AssertPinned(c.Text("image")!));
        }

        foreach (var (service, settings) in ContainerSettings.All)
        {
            var container = rendered.Single("Deployment", service).Containers.Single();
            var image = container.Text("image")!;
            var (repository, tag) = Split(image);
            Assert.True(repository == settings.Repository || repository.EndsWith($"/{settings.Repository}", StringComparison.Ordinal),
                $"{overlay}: {service} runs {image}, not an image of {settings.Repository}.");
            Assert.Equal(settings.Tag, tag);
            Assert.Equal(settings.User, container.Text("securityContext", "runAsUser") ?? rendered.Single("Deployment", service).PodSpec.Text("securityContext", "runAsUser"));
        }
    }

    [Fact]
    public void Runner_jobs_run_the_sdk_image_the_agents_are_built_on()
    {
        var agentBase = ContainerSettings.All[Orchestrator.AppHost.ResourceNames.Coder].BaseImage;
        Assert.Contains("/dotnet/sdk:", agentBase, StringComparison.Ordinal);
        Assert.Equal(agentBase, kustomize.Overlay("production").ConfigValue("runner-config", "Runner__Kubernetes__Image"));
        Assert.Equal(agentBase, kustomize.Overlay("dev").ConfigValue("runner-config", "Runner__Kubernetes__Image"));
    }

    private static void AssertPinned(string image)
    {
        var (_, tag) = Split(image);
        Assert.False(string.IsNullOrEmpty(tag) || tag == "latest", $"{image} is not pinned to a tag.");
        Assert.True(tag.Any(char.IsDigit), $"{image}'s tag '{tag}' names no version.");
    }

    // registry:port/repository:tag — the tag follows the last colon after the last slash.
    private static (string Repository, string Tag) Split(string image)
    {
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, string.Empty);
    }
}
