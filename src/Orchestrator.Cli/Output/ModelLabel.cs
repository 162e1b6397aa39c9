using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Output;

/// <summary>
/// How the feature's model is shown. A scripted run must never be mistaken for real AI output, so the
/// "scripted" marker is added whenever the server's own label does not already say so.
/// </summary>
internal static class ModelLabel
{
    public static string For(Feature feature)
    {
        var model = string.IsNullOrWhiteSpace(feature.Model) ? "(model not reported)" : feature.Model.Trim();
        return feature.Scripted && !model.Contains("scripted", StringComparison.OrdinalIgnoreCase)
            ? $"{model} [scripted, not an AI]"
            : model;
    }
}
