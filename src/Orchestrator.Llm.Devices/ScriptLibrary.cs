using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Orchestrator.Llm.Devices;

/// <summary>Finds scripted-model scripts by name in the configured directory.</summary>
public sealed partial class ScriptLibrary(IOptions<ModelDeviceOptions> options)
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,99}$")]
    private static partial Regex ScriptName();

    public static bool IsValidName(string name) => ScriptName().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    public bool Exists(string name) => IsValidName(name) && File.Exists(PathOf(name));

    public IReadOnlyList<string> Names() =>
        Directory.Exists(Root)
            ? Directory.EnumerateFiles(Root, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order().ToList()
            : [];

    public ModelScript Load(string name) => ModelScriptParser.Parse(name, ReadText(name));

    /// <summary>The script file as it is; throws <see cref="ModelDeviceException"/> for a bad name or a missing script.</summary>
    public string ReadText(string name)
    {
        if (!IsValidName(name))
        {
            throw new ModelDeviceException($"Scripted model: '{name}' is not a valid script name.");
        }

        var path = PathOf(name);
        if (!File.Exists(path))
        {
            throw new ModelDeviceException($"Scripted model: no script named '{name}' in {Root}.");
        }

        return File.ReadAllText(path);
    }

    private string Root => Path.GetFullPath(options.Value.ScriptsPath);

    private string PathOf(string name) => Path.Combine(Root, name + ".json");
}
