namespace Orchestrator.Cli.Arguments;

/// <summary>One <c>--option</c> of a command. Options without a <see cref="ValueName"/> are flags.</summary>
internal sealed record OptionSpec(string Name, string? ValueName, string Description, bool Required = false)
{
    public bool TakesValue => ValueName is not null;

    public string Synopsis => TakesValue ? $"{Name} <{ValueName}>" : Name;
}
