using System.CommandLine;

namespace Orchestrator.Cli.CommandLine;

/// <summary>An on/off switch: present or not, never followed by a value (so <c>--watch true</c> is an error).</summary>
internal sealed class FlagOption : Option<bool>
{
    public FlagOption(string name, string description)
        : base(name)
    {
        Description = description;
        Arity = ArgumentArity.Zero;
    }
}
