using System.Diagnostics;

namespace Orchestrator.Workspaces.Tests;

/// <summary>A command line shown in logs and tool results is what a shell would run as the same argument list.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void Plain_words_are_shown_as_they_are()
    {
        Assert.Equal("dotnet test --filter=Name~Power -c Release", CommandLine.Format("dotnet", ["test", "--filter=Name~Power", "-c", "Release"]));
    }

    [Fact]
    public void Pasted_into_a_shell_the_line_gives_back_every_argument_unchanged()
    {
        string[] arguments = ["a b", "x|y", "*", "$HOME", "a;b", "it's", "~", "`id`", "back\\slash", "", "(x)", "a&b", "new\nline", "#hash", "!bang"];

        var line = CommandLine.Format("printf", ["%s\\0", .. arguments]);

        var shell = Process.Start(new ProcessStartInfo("bash", ["-c", line]) { RedirectStandardOutput = true })!;
        var output = shell.StandardOutput.ReadToEnd();
        shell.WaitForExit();
        Assert.Equal(0, shell.ExitCode);
        Assert.Equal(arguments, output.Split('\0')[..^1]);
    }
}
