using System.CommandLine;
using System.CommandLine.Help;
using System.Text;
using Orchestrator.Cli.Commands;

namespace Orchestrator.Cli.CommandLine;

/// <summary>
/// The CLI's help, generated from the System.CommandLine symbols so it always matches what the parser accepts.
/// Its own layout rather than the built-in one: a synopsis line per command that scripts' authors can copy.
/// </summary>
internal static class HelpText
{
    public const string ProgramName = "orchestrator";

    public static string General(Command root)
    {
        var commands = root.Subcommands;
        var text = new StringBuilder();
        text.AppendLine($"{ProgramName} - {root.Description}");
        text.AppendLine();
        text.AppendLine("Usage:");
        foreach (var command in commands)
        {
            text.AppendLine($"  {Synopsis(command)}");
        }

        text.AppendLine();
        text.AppendLine("Commands:");
        AppendRows(text, commands.Select(c => (c.Name, c.Description ?? "")));
        text.AppendLine();
        text.AppendLine("Global options:");
        AppendRows(text, root.Options.Select(o => (Label(o), o.Description ?? "")));
        text.AppendLine();
        text.AppendLine("Exit codes:");
        text.AppendLine("  0  success (watch, submit --watch: the feature completed and opened a pull request)");
        text.AppendLine("  1  the feature failed");
        text.AppendLine("  2  the feature was cancelled");
        text.AppendLine("  3  usage error, API error, API unreachable, or watch timeout");
        return text.ToString();
    }

    /// <param name="globalOptions">The root's options; those that apply to every command are listed too.</param>
    public static string ForCommand(Command command, IEnumerable<Option> globalOptions)
    {
        var text = new StringBuilder();
        text.AppendLine($"Usage: {Synopsis(command)}");
        text.AppendLine();
        text.AppendLine(command.Description);
        text.AppendLine();
        text.AppendLine("Options:");

        var options = command.Options.Concat(globalOptions.Where(o => o.Recursive && o is not HelpOption));
        AppendRows(text, options.Select(o => (Label(o), o.Description + (o.Required ? " Required." : ""))));

        if (command is ApiCommand { HelpDetails: { } details })
        {
            text.AppendLine();
            text.AppendLine(details);
        }

        return text.ToString();
    }

    /// <summary><c>--name &lt;value&gt;</c>, or just <c>--name</c> for a flag.</summary>
    public static string OptionSynopsis(Option option) =>
        option.Arity.MaximumNumberOfValues == 0 ? option.Name : $"{option.Name} <{option.HelpName}>";

    private static string Synopsis(Command command)
    {
        var parts = new List<string> { ProgramName, command.Name };
        parts.AddRange(command.Arguments.Select(a => $"<{a.Name}>"));
        parts.AddRange(command.Options.Where(o => o.Required).Select(OptionSynopsis));
        parts.AddRange(command.Options.Where(o => !o.Required).Select(o => $"[{OptionSynopsis(o)}]"));
        return string.Join(' ', parts);
    }

    // Short aliases first, as in "-h, --help".
    private static string Label(Option option) =>
        string.Join(", ", option.Aliases.Order(StringComparer.Ordinal).Append(OptionSynopsis(option)));

    private static void AppendRows(StringBuilder text, IEnumerable<(string Label, string Description)> rows)
    {
        var list = rows.ToList();
        var width = list.Max(r => r.Label.Length);
        foreach (var (label, description) in list)
        {
            text.AppendLine($"  {label.PadRight(width)}  {description}");
        }
    }
}
