using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Llm.Devices;

/// <summary>
/// Where the service that keeps the devices' documents (the orchestrator) keeps them: configuration section
/// <c>Models</c>. No other service reads these folders; they ask it over the bus.
/// </summary>
public sealed class ModelDeviceOptions
{
    public const string Section = "Models";

    /// <summary>Directory holding scripted-model scripts (<c>&lt;name&gt;.json</c>).</summary>
    [Required]
    public string ScriptsPath { get; set; } = "scripts";

    /// <summary>
    /// Directory of cassettes (<c>&lt;name&gt;.cassette.json</c>) and of the per-agent recordings of features being
    /// recorded (<c>&lt;feature:N&gt;/&lt;agent&gt;.jsonl</c>).
    /// </summary>
    [Required]
    public string CassettesPath { get; set; } = "cassettes";
}
