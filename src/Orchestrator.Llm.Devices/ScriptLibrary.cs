using Microsoft.Extensions.Options;

namespace Orchestrator.Llm.Devices;

/// <summary>The scripted model's scripts, <c>&lt;name&gt;.json</c> in <c>Models:ScriptsPath</c>.</summary>
public sealed class ScriptLibrary(IOptions<ModelDeviceOptions> options)
{
    private DocumentFolder Folder => new(Path.GetFullPath(options.Value.ScriptsPath), ".json", "Scripted model", "script");

    public static bool IsValidName(string name) => DocumentFolder.IsValidName(name);

    public bool Exists(string name) => Folder.Exists(name);

    public IReadOnlyList<string> Names() => Folder.Names();

    public ModelScript Load(string name) => ModelScriptParser.Parse(name, ReadText(name));

    /// <summary>The script file as it is; throws <see cref="ModelDeviceException"/> for a bad name or a missing script.</summary>
    public string ReadText(string name) => Folder.Read(name);
}
