using YamlDotNet.RepresentationModel;

namespace Orchestrator.Deploy.Tests.Support;

/// <summary>The objects <c>kubectl kustomize deploy/kubernetes/overlays/&lt;name&gt;</c> renders.</summary>
internal sealed class RenderedOverlay(string name, IReadOnlyList<KubeObject> objects)
{
    public string Name => name;

    public IReadOnlyList<KubeObject> Objects => objects;

    public IEnumerable<KubeObject> OfKind(string kind) => objects.Where(o => o.Kind == kind);

    public IEnumerable<KubeObject> Workloads => objects.Where(o => o.IsWorkload);

    public KubeObject Single(string kind, string objectName)
    {
        var matches = objects.Where(o => o.Kind == kind && o.Name == objectName).ToList();
        Assert.True(matches.Count == 1, $"{name}: expected one {kind}/{objectName}, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>A container's environment variable (the last one of that name wins, as in Kubernetes).</summary>
    public static YamlNode? Env(YamlNode container, string variable) =>
        container.Items("env").LastOrDefault(e => e.Text("name") == variable);

    /// <summary>A ConfigMap's value, for configuration the services read through envFrom.</summary>
    public string? ConfigValue(string configMap, string key) => Single("ConfigMap", configMap).Root.Text("data", key);

    public static RenderedOverlay Parse(string name, string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var objects = stream.Documents
            .Select(d => d.RootNode)
            .OfType<YamlMappingNode>()
            .Select(root => new KubeObject(root))
            .ToList();
        return new RenderedOverlay(name, objects);
    }
}
