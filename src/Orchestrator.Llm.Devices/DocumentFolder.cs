using System.Text.RegularExpressions;

namespace Orchestrator.Llm.Devices;

/// <summary>
/// A folder of named JSON documents (scripts, cassettes): names are checked before they touch the file system, so a
/// name from a request can never reach outside the folder.
/// </summary>
/// <param name="Kind">How errors name the documents, e.g. <c>"Scripted model: … script"</c>.</param>
internal sealed partial record DocumentFolder(string Root, string Extension, string ErrorPrefix, string Kind)
{
    // \z, not $: "$" also matches before a final line break, which would let "demo\n" through as a name.
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,99}\\z")]
    private static partial Regex Name();

    public static bool IsValidName(string name) => Name().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    public bool Exists(string name) => IsValidName(name) && File.Exists(PathOf(name));

    public string PathOf(string name) => Path.Combine(Root, name + Extension);

    public IReadOnlyList<string> Names() =>
        Directory.Exists(Root)
            ? Directory.EnumerateFiles(Root, "*" + Extension)
                .Select(f => Path.GetFileName(f)[..^Extension.Length])
                .Where(IsValidName)
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>The document as it is; throws <see cref="ModelDeviceException"/> for a bad name or a missing document.</summary>
    public string Read(string name)
    {
        if (!IsValidName(name))
        {
            throw new ModelDeviceException($"{ErrorPrefix}: '{name}' is not a valid {Kind} name.");
        }

        var path = PathOf(name);
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new ModelDeviceException($"{ErrorPrefix}: no {Kind} named '{name}' in {Root}.");
    }
}
