namespace Orchestrator.Cli.Arguments;

/// <summary>
/// Hand-written parser (the CLI has no package references): global options may come before or after the
/// command; command options accept <c>--name value</c> and <c>--name=value</c>; <c>--</c> ends options.
/// </summary>
internal static class CommandLineParser
{
    public const string ApiOption = "--api";
    public const string HelpOption = "--help";

    public static ParsedArguments Parse(IReadOnlyList<string> args, IReadOnlyList<CommandSpec> commands)
    {
        CommandSpec? command = null;
        string? api = null;
        var help = false;
        var positionals = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var optionsEnded = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];

            if (!optionsEnded && arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            if (optionsEnded || !arg.StartsWith('-') || arg == "-")
            {
                if (command is null)
                {
                    command = FindCommand(arg, commands);
                }
                else
                {
                    positionals.Add(arg);
                }

                continue;
            }

            var (name, inlineValue) = SplitOption(arg);

            if (name is HelpOption or "-h")
            {
                help = true;
                continue;
            }

            if (name == ApiOption)
            {
                api = inlineValue ?? TakeValue(args, ref i, name, command);
                continue;
            }

            var option = command?.FindOption(name)
                ?? throw new UsageException(
                    command is null ? $"unknown option '{name}'" : $"unknown option '{name}' for '{command.Name}'",
                    command?.Name);

            if (option.TakesValue)
            {
                values[option.Name] = inlineValue ?? TakeValue(args, ref i, name, command);
            }
            else if (inlineValue is not null)
            {
                throw new UsageException($"option {name} takes no value", command?.Name);
            }
            else
            {
                flags.Add(option.Name);
            }
        }

        // Help wins over validation: `submit --help` must work without --repository.
        if (!help && command is not null)
        {
            Validate(command, positionals, values);
        }

        return new ParsedArguments(command, positionals, values, flags, api, help);
    }

    private static CommandSpec FindCommand(string name, IReadOnlyList<CommandSpec> commands) =>
        commands.FirstOrDefault(c => c.Name == name)
        ?? throw new UsageException($"unknown command '{name}'");

    private static (string Name, string? Value) SplitOption(string arg)
    {
        var equals = arg.IndexOf('=');
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 2
            ? (arg[..equals], arg[(equals + 1)..])
            : (arg, null);
    }

    private static string TakeValue(IReadOnlyList<string> args, ref int i, string name, CommandSpec? command)
    {
        // A following option is almost certainly a forgotten value, not a value that starts with "--".
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"option {name} needs a value", command?.Name);
        }

        i++;
        return args[i];
    }

    private static void Validate(CommandSpec command, List<string> positionals, Dictionary<string, string> values)
    {
        if (positionals.Count < command.Positionals.Count)
        {
            throw new UsageException($"'{command.Name}' needs <{command.Positionals[positionals.Count]}>", command.Name);
        }

        if (positionals.Count > command.Positionals.Count)
        {
            throw new UsageException($"unexpected argument '{positionals[command.Positionals.Count]}'", command.Name);
        }

        foreach (var option in command.Options.Where(o => o.Required))
        {
            if (!values.TryGetValue(option.Name, out var value) || string.IsNullOrWhiteSpace(value))
            {
                throw new UsageException($"'{command.Name}' needs {option.Synopsis}", command.Name);
            }
        }
    }
}
