namespace Orchestrator.Workspaces;

// For logs and messages only: processes are always started from an argument list. The text is what a shell would run
// as that same list, so pasting it is safe: anything but plain word characters is single-quoted (a pipe, a glob, a
// variable or a semicolon in an argument stays part of it).
internal static class CommandLine
{
    public static string Format(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { fileName }.Concat(arguments).Select(Quote));

    private static string Quote(string argument)
    {
        if (argument.Length > 0 && argument[0] != '~' && argument.All(IsPlain))
        {
            return argument;
        }

        return "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    // Characters no POSIX shell gives a meaning inside a word ('~' only at its start, checked above).
    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ':' or '=' or '@' or '%' or '+' or ',' or '~';
}
