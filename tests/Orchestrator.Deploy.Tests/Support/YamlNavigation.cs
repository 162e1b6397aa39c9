using YamlDotNet.RepresentationModel;

namespace Orchestrator.Deploy.Tests.Support;

/// <summary>Reading rendered manifests by path: a missing step gives null or nothing rather than an exception.</summary>
internal static class YamlNavigation
{
    public static YamlNode? At(this YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? Text(this YamlNode? node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IReadOnlyList<YamlNode> Items(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlSequenceNode sequence ? [.. sequence.Children] : [];

    public static IReadOnlyDictionary<string, string> Map(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlMappingNode mapping
            ? mapping.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => (e.Value as YamlScalarNode)?.Value ?? string.Empty)
            : new Dictionary<string, string>();

    /// <summary>Every scalar under <paramref name="node"/>, with the key it is the value of (null in a list).</summary>
    public static IEnumerable<(string? Key, string Value)> Scalars(this YamlNode node, string? key = null) => node switch
    {
        YamlScalarNode scalar => [(key, scalar.Value ?? string.Empty)],
        YamlMappingNode mapping => mapping.Children.SelectMany(e => e.Value.Scalars(((YamlScalarNode)e.Key).Value)),
        YamlSequenceNode sequence => sequence.Children.SelectMany(c => c.Scalars(key)),
        _ => [],
    };
}
