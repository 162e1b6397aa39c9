namespace Orchestrator.Cli.CommandLine;

/// <summary>Options whose value is free text: a request, a path, a branch, a reason.</summary>
internal static class TextOption
{
    public static ValueOption<string> Optional(string name, string valueName, string description) =>
        new(name, valueName, description, AnyText, "needs text");

    /// <summary>Blank counts as missing: a quoted empty variable in a script must not submit an empty request.</summary>
    public static ValueOption<string> Required(string name, string valueName, string description) =>
        new(name, valueName, description, NotBlank, "needs a non-blank value") { Required = true };

    private static bool AnyText(string raw, out string value)
    {
        value = raw;
        return true;
    }

    private static bool NotBlank(string raw, out string value)
    {
        value = raw;
        return !string.IsNullOrWhiteSpace(raw);
    }
}
