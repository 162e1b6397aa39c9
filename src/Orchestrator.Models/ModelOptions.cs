using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Models;

/// <summary>Configuration section <c>Models</c>.</summary>
public sealed class ModelOptions
{
    public const string Section = "Models";

    /// <summary>Directory holding scripted-model scripts (<c>&lt;name&gt;.json</c>).</summary>
    [Required]
    public string ScriptsPath { get; set; } = "scripts";
}
