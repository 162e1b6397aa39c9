using System.CommandLine;
using System.CommandLine.Parsing;

namespace Orchestrator.Cli.CommandLine;

/// <summary>
/// The <c>&lt;id&gt;</c> of watch, status and cancel. Feature ids are GUIDs; checking here turns a typo into an
/// instant error rather than a 404 wait.
/// </summary>
internal sealed class FeatureIdArgument : Argument<string>
{
    public FeatureIdArgument()
        : base("id")
    {
        CustomParser = Parse;
    }

    private static string? Parse(ArgumentResult result)
    {
        // No id at all is reported by System.CommandLine itself (and translated by UsageError).
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var raw = result.Tokens[0].Value;
        if (Guid.TryParse(raw, out var id))
        {
            return id.ToString("D");
        }

        result.AddError($"'{raw}' is not a feature id (expected a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301)");
        return null;
    }
}
