namespace Orchestrator.Cli.Arguments;

/// <summary>What a command accepts; drives both parsing and its help text so the two cannot disagree.</summary>
internal sealed record CommandSpec(
    string Name,
    string Summary,
    IReadOnlyList<string> Positionals,
    IReadOnlyList<OptionSpec> Options,
    string? Details = null)
{
    public OptionSpec? FindOption(string name) => Options.FirstOrDefault(o => o.Name == name);

    public string Synopsis
    {
        get
        {
            var parts = new List<string> { "orchestrator", Name };
            parts.AddRange(Positionals.Select(p => $"<{p}>"));
            parts.AddRange(Options.Where(o => o.Required).Select(o => o.Synopsis));
            parts.AddRange(Options.Where(o => !o.Required).Select(o => $"[{o.Synopsis}]"));
            return string.Join(' ', parts);
        }
    }
}
