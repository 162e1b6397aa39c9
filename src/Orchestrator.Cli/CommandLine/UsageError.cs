using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Orchestrator.Cli.CommandLine;

/// <summary>
/// Turns System.CommandLine's parse errors into the CLI's usage error: one line naming the first problem in the
/// order a person fixes them (a wrong value, then a word the CLI does not know, then something missing), worded as
/// the CLI has always worded it, plus a hint pointing to the most specific help.
/// </summary>
internal static class UsageError
{
    public static string OptionNeedsValue(string option) => $"option {option} needs a value";

    /// <summary>Null when the command line can run or asks for help.</summary>
    public static string? Describe(ParseResult parseResult, IReadOnlyList<string> args)
    {
        // Help wins over what is missing (`submit --help`), but not over a typo (`submit --wacth --help`).
        if (parseResult.Action is not ParseErrorAction && parseResult.UnmatchedTokens.Count == 0)
        {
            return null;
        }

        return WrongValue(parseResult, args)
            ?? UnknownWord(parseResult)
            ?? Missing(parseResult)
            ?? parseResult.Errors.Select(e => e.Message).FirstOrDefault()
            ?? "invalid command line";
    }

    public static string Hint(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        return command == parseResult.RootCommandResult.Command
            ? $"Run '{HelpText.ProgramName} --help' for usage."
            : $"Run '{HelpText.ProgramName} {command.Name} --help' for usage.";
    }

    private static string? WrongValue(ParseResult parseResult, IReadOnlyList<string> args)
    {
        // System.CommandLine splits `--watch=yes` and leaves "yes" over; name the flag rather than the leftover.
        foreach (var flag in parseResult.CommandResult.Command.Options.OfType<FlagOption>())
        {
            if (args.Any(a => a.StartsWith(flag.Name + "=", StringComparison.Ordinal) || a.StartsWith(flag.Name + ":", StringComparison.Ordinal)))
            {
                return $"option {flag.Name} takes no value";
            }
        }

        foreach (var error in parseResult.Errors)
        {
            switch (error.SymbolResult)
            {
                case OptionResult { IdentifierToken: not null, Tokens.Count: 0 } given:
                    return OptionNeedsValue(given.Option.Name);
                case OptionResult { IdentifierToken: not null, Tokens.Count: > 1 } repeated:
                    return $"option {repeated.Option.Name} is given more than once";
                case OptionResult { IdentifierToken: not null }:
                case ArgumentResult { Tokens.Count: > 0 }:
                    return error.Message;
            }
        }

        return null;
    }

    private static string? UnknownWord(ParseResult parseResult)
    {
        if (parseResult.UnmatchedTokens is not [var word, ..])
        {
            return null;
        }

        var command = parseResult.CommandResult.Command;
        var atRoot = command == parseResult.RootCommandResult.Command;
        if (word.StartsWith('-') && word != "-")
        {
            var option = word.StartsWith("--", StringComparison.Ordinal) ? word.Split('=')[0] : word;
            return atRoot ? $"unknown option '{option}'" : $"unknown option '{option}' for '{command.Name}'";
        }

        return atRoot ? $"unknown command '{word}'" : $"unexpected argument '{word}'";
    }

    private static string? Missing(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        foreach (var error in parseResult.Errors)
        {
            switch (error.SymbolResult)
            {
                case OptionResult { Option.Required: true } missing:
                    return $"'{command.Name}' needs {HelpText.OptionSynopsis(missing.Option)}";
                case ArgumentResult missing:
                    return $"'{command.Name}' needs <{missing.Argument.Name}>";
                case CommandResult { Command: RootCommand }:
                    return "no command given";
            }
        }

        return null;
    }
}
