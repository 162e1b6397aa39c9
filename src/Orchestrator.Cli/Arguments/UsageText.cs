using System.Text;

namespace Orchestrator.Cli.Arguments;

/// <summary>Help text, generated from the command specs so it always matches what the parser accepts.</summary>
internal static class UsageText
{
    private const string ApiHelp = "API base URL (default: $ORCHESTRATOR_API, else http://localhost:5080)";

    public static string General(IReadOnlyList<CommandSpec> commands)
    {
        var text = new StringBuilder();
        text.AppendLine("orchestrator - turn a feature request on a git repository into one pull request");
        text.AppendLine();
        text.AppendLine("Usage:");
        foreach (var command in commands)
        {
            text.AppendLine($"  {command.Synopsis}");
        }

        text.AppendLine();
        text.AppendLine("Commands:");
        var width = commands.Max(c => c.Name.Length);
        foreach (var command in commands)
        {
            text.AppendLine($"  {command.Name.PadRight(width)}  {command.Summary}");
        }

        text.AppendLine();
        text.AppendLine("Global options:");
        text.AppendLine($"  --api <url>  {ApiHelp}");
        text.AppendLine("  -h, --help   Show help; 'orchestrator <command> --help' shows a command's options");
        text.AppendLine();
        text.AppendLine("Exit codes:");
        text.AppendLine("  0  success (watch, submit --watch: the feature completed and opened a pull request)");
        text.AppendLine("  1  the feature failed");
        text.AppendLine("  2  the feature was cancelled");
        text.AppendLine("  3  usage error, API error, API unreachable, or watch timeout");
        return text.ToString();
    }

    public static string ForCommand(CommandSpec command)
    {
        var text = new StringBuilder();
        text.AppendLine($"Usage: {command.Synopsis}");
        text.AppendLine();
        text.AppendLine(command.Summary);
        text.AppendLine();
        text.AppendLine("Options:");

        var rows = command.Options.Select(o => (o.Synopsis, o.Description + (o.Required ? " Required." : "")))
            .Append(("--api <url>", ApiHelp))
            .ToList();
        var width = rows.Max(r => r.Item1.Length);
        foreach (var (synopsis, description) in rows)
        {
            text.AppendLine($"  {synopsis.PadRight(width)}  {description}");
        }

        if (command.Details is not null)
        {
            text.AppendLine();
            text.AppendLine(command.Details);
        }

        return text.ToString();
    }

    /// <summary>The second line of every usage error, pointing to the most specific help.</summary>
    public static string Hint(string? command) =>
        command is null ? "Run 'orchestrator --help' for usage." : $"Run 'orchestrator {command} --help' for usage.";
}
