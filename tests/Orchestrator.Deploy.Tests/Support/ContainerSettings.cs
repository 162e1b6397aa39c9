using System.Text.Json;

namespace Orchestrator.Deploy.Tests.Support;

/// <summary>A service project's container image settings, as MSBuild evaluates them (no build, no image).</summary>
internal sealed record ContainerSettings(string Repository, string Tag, string BaseImage, string User, IReadOnlyList<int> Ports)
{
    /// <summary>The six services by their AppHost resource name, each with its project.</summary>
    public static IReadOnlyDictionary<string, string> Projects { get; } = new Dictionary<string, string>
    {
        [Orchestrator.AppHost.ResourceNames.Orchestrator] = "src/Orchestrator/Orchestrator.csproj",
        [Orchestrator.AppHost.ResourceNames.Merge] = "src/Orchestrator.Merge/Orchestrator.Merge.csproj",
        [Orchestrator.AppHost.ResourceNames.Coder] = "src/Orchestrator.Agents.Coder/Orchestrator.Agents.Coder.csproj",
        [Orchestrator.AppHost.ResourceNames.Tester] = "src/Orchestrator.Agents.Tester/Orchestrator.Agents.Tester.csproj",
        [Orchestrator.AppHost.ResourceNames.Docs] = "src/Orchestrator.Agents.Docs/Orchestrator.Agents.Docs.csproj",
        [Orchestrator.AppHost.ResourceNames.Reviewer] = "src/Orchestrator.Agents.Reviewer/Orchestrator.Agents.Reviewer.csproj",
    };

    private static readonly Lazy<IReadOnlyDictionary<string, ContainerSettings>> AllProjects = new(() =>
        Projects.AsParallel().ToDictionary(p => p.Key, p => Evaluate(p.Value)));

    public static IReadOnlyDictionary<string, ContainerSettings> All => AllProjects.Value;

    private static ContainerSettings Evaluate(string project)
    {
        // The SDK that runs the tests: `dotnet test` says where it is.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var (exitCode, output, error) = Kustomize.Run(dotnet,
            ["msbuild", Path.Combine(SourceTree.Root, project), "-nologo",
             "-getProperty:ContainerRepository", "-getProperty:ContainerImageTag", "-getProperty:ContainerBaseImage",
             "-getProperty:ContainerUser", "-getItem:ContainerPort"],
            SourceTree.Root);
        Assert.True(exitCode == 0, $"dotnet msbuild {project} failed ({exitCode}): {error}{output}");

        using var json = JsonDocument.Parse(output);
        var properties = json.RootElement.GetProperty("Properties");
        var ports = json.RootElement.GetProperty("Items").TryGetProperty("ContainerPort", out var items)
            ? items.EnumerateArray().Select(i => int.Parse(i.GetProperty("Identity").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList()
            : [];
        return new ContainerSettings(
            properties.GetProperty("ContainerRepository").GetString()!,
            properties.GetProperty("ContainerImageTag").GetString()!,
            properties.GetProperty("ContainerBaseImage").GetString()!,
            properties.GetProperty("ContainerUser").GetString()!,
            ports);
    }
}
