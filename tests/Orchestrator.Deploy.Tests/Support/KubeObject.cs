using YamlDotNet.RepresentationModel;

namespace Orchestrator.Deploy.Tests.Support;

/// <summary>One object of a rendered overlay.</summary>
internal sealed class KubeObject(YamlMappingNode root)
{
    public YamlMappingNode Root => root;

    public string Kind => root.Text("kind") ?? string.Empty;

    public string Name => root.Text("metadata", "name") ?? string.Empty;

    public string Id => $"{Kind}/{Name}";

    public bool IsWorkload => Kind is "Deployment" or "StatefulSet";

    /// <summary>The pod template's spec of a Deployment or StatefulSet.</summary>
    public YamlNode? PodSpec => root.At("spec", "template", "spec");

    public IReadOnlyDictionary<string, string> PodLabels => root.Map("spec", "template", "metadata", "labels");

    public IReadOnlyList<YamlNode> Containers => PodSpec.Items("containers");

    public IEnumerable<YamlNode> AllContainers => PodSpec.Items("initContainers").Concat(Containers);

    /// <summary>Whether a label selector (matchLabels and matchExpressions with In) selects pods with <paramref name="labels"/>.</summary>
    public static bool Selects(YamlNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        var matchLabels = selector.Map("matchLabels").All(l => labels.TryGetValue(l.Key, out var value) && value == l.Value);
        var matchExpressions = selector.Items("matchExpressions").All(e =>
            e.Text("operator") == "In"
            && labels.TryGetValue(e.Text("key")!, out var value)
            && e.Items("values").Any(v => v.Text() == value));
        return matchLabels && matchExpressions;
    }

    public override string ToString() => Id;
}
