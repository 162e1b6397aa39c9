using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Output;

/// <summary>One line per feature for <c>list</c>: full id (to paste into other commands), state, and what it is.</summary>
internal static class FeatureListFormatter
{
    private const int DescriptionWidth = 70;

    public static IReadOnlyList<string> Format(IReadOnlyList<Feature> features)
    {
        if (features.Count == 0)
        {
            return ["no features"];
        }

        var stateWidth = features.Max(f => f.State.Length);
        return features
            .Select(f => $"{f.Id}  {f.State.PadRight(stateWidth)}  {Describe(f)}".TrimEnd())
            .ToList();
    }

    private static string Describe(Feature feature)
    {
        var text = feature.Title ?? feature.Request ?? "";
        var label = Text.Truncate(Text.OneLine(text), DescriptionWidth);
        return feature.Scripted ? $"{label} [scripted]" : label;
    }
}
