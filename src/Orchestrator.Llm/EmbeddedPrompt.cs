using System.Reflection;

namespace Orchestrator.Llm;

/// <summary>Prompts ship as Markdown embedded in the assembly that uses them (<c>Prompts/&lt;name&gt;</c>).</summary>
public static class EmbeddedPrompt
{
    public static string Read(Assembly assembly, string name)
    {
        var resource = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith($".Prompts.{name}", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} embeds no Prompts/{name}.");
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }
}
