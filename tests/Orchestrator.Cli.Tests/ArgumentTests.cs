using Orchestrator.Cli.Tests.Support;

namespace Orchestrator.Cli.Tests;

public sealed class ArgumentTests
{
    private const string Id = "1a2b3c4d-5e6f-4a0b-8c9d-0123456789ab";

    public static TheoryData<string[], string> BadCommandLines => new()
    {
        { [], "no command given" },
        { ["bogus"], "unknown command 'bogus'" },
        { ["submit", "--request", "Add Power"], "needs --repository" },
        { ["submit", "--repository", "/repos/calc"], "needs --request" },
        { ["submit", "--repository"], "--repository needs a value" },
        { ["submit", "--repository", "r", "--request", "x", "--watch=yes"], "takes no value" },
        { ["watch"], "needs <id>" },
        { ["watch", "not-a-guid"], "'not-a-guid' is not a feature id" },
        { ["watch", Id, "--interval-ms", "0"], "--interval-ms needs a positive whole number" },
        { ["watch", Id, "--timeout", "-5"], "--timeout needs a positive number of seconds" },
        { ["status", Id, "--bogus"], "unknown option '--bogus'" },
        { ["list", "extra"], "unexpected argument 'extra'" },
        { ["--api", "ftp://example/", "list"], "--api must be an http:// or https:// URL" },

        // Where System.CommandLine on its own would behave or word things differently.
        { ["--bogus"], "unknown option '--bogus'" },
        { ["--version"], "unknown option '--version'" },
        { ["help", "bogus"], "unknown command 'bogus'" },
        { ["submit", "--bogus", "--help"], "unknown option '--bogus' for 'submit'" },
        { ["submit", "--repository", "--request", "x"], "option --repository needs a value" },
        { ["submit", "--repository", " ", "--request", "x"], "--repository needs a non-blank value" },
        { ["submit", "--repository", "r", "--request", "x", "--base", "a", "--base", "b"], "option --base is given more than once" },
        { ["status", Id, "--json=true"], "option --json takes no value" },
        { ["watch", Id, "--interval-ms", "abc"], "--interval-ms needs a positive whole number, not 'abc'" },
        { ["watch", Id, "--timeout", "soon"], "--timeout needs a positive number of seconds, not 'soon'" },
        { ["list", "--api"], "option --api needs a value" },
        { ["show"], "'show' needs <id>" },
        { ["show", "not-a-guid", "--json"], "'not-a-guid' is not a feature id" },
        { ["list", "--json=yes"], "option --json takes no value" },
        { ["watch", Id, "--plain=true"], "option --plain takes no value" },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public async Task Bad_command_line_exits_3_with_one_error_line_and_a_hint_without_calling_the_api(string[] args, string expected)
    {
        var handler = new RecordingHandler();

        var result = await CliRunner.RunAsync(args, handler);

        Assert.Equal(3, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal(2, result.StderrLines.Count);
        Assert.StartsWith("error: ", result.StderrLines[0]);
        Assert.Contains(expected, result.StderrLines[0]);
        Assert.Matches(@"^Run 'orchestrator( \w+)? --help' for usage\.$", result.StderrLines[1]);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Usage_hint_points_to_the_command_help()
    {
        var result = await CliRunner.RunAsync(["cancel"]);

        Assert.Equal("Run 'orchestrator cancel --help' for usage.", result.StderrLines[1]);
    }

    [Fact]
    public async Task Help_lists_every_command_and_exits_0()
    {
        var result = await CliRunner.RunAsync(["--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        foreach (var command in new[] { "submit", "watch", "status", "show", "list", "cancel", "approve", "reject", "logs" })
        {
            Assert.Contains($"orchestrator {command}", result.Stdout);
        }
    }

    [Theory]
    [InlineData("submit", "--repository <url-or-path>")]
    [InlineData("watch", "--interval-ms <ms>")]
    [InlineData("status", "--json")]
    [InlineData("show", "--plain")]
    [InlineData("list", "--json")]
    [InlineData("cancel", "--reason <text>")]
    [InlineData("cancel", "--json")]
    [InlineData("submit", "--approve-plan")]
    [InlineData("submit", "--no-review")]
    [InlineData("approve", "--plan <file.json>")]
    [InlineData("approve", "--token-budget <tokens>")]
    [InlineData("approve", "--json")]
    [InlineData("reject", "--reason <text>")]
    [InlineData("reject", "--json")]
    [InlineData("watch", "--json")]
    [InlineData("logs", "--task <task>")]
    [InlineData("logs", "--follow")]
    public async Task Command_help_shows_its_options_even_without_required_arguments(string command, string option)
    {
        var viaFlag = await CliRunner.RunAsync([command, "--help"]);
        var viaHelpCommand = await CliRunner.RunAsync(["help", command]);

        Assert.Equal(0, viaFlag.ExitCode);
        Assert.StartsWith($"Usage: orchestrator {command}", viaFlag.Stdout);
        Assert.Contains(option, viaFlag.Stdout);
        Assert.Equal(viaFlag.Stdout, viaHelpCommand.Stdout);
    }

    [Fact]
    public async Task Command_help_wins_over_missing_and_invalid_values()
    {
        var help = await CliRunner.RunAsync(["watch", "--help"]);

        var result = await CliRunner.RunAsync(["watch", "not-a-guid", "--interval-ms", "0", "-h"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        Assert.Equal(help.Stdout, result.Stdout);
    }

    [Fact]
    public async Task Command_help_lists_synopsis_options_global_api_and_details()
    {
        var result = await CliRunner.RunAsync(["submit", "--help"]);

        Assert.Equal(
            """
            Usage: orchestrator submit --repository <url-or-path> --request <text> [--base <branch>] [--script <name>] [--model <name>] [--token-budget <tokens>] [--approve-plan] [--no-review] [--watch] [--summary-json] [--interval-ms <ms>] [--timeout <seconds>] [--json] [--plain]

            Submit a feature request; prints the feature id.

            Options:
              --repository <url-or-path>  Git repository to change (clone URL or local path). Required.
              --request <text>            The feature request, in plain language; @file reads it from that file. Required.
              --base <branch>             Branch to start from and target with the pull request (default main).
              --script <name>             Drive the feature with a scripted demo model (e.g. demo-power) instead of an AI.
              --model <name>              The model the configured endpoint should use (default: the endpoint's own).
              --token-budget <tokens>     Most tokens (input and output) the feature may spend (default: the server's).
              --approve-plan              Stop after planning until the plan is approved ('orchestrator approve <id>') or rejected.
              --no-review                 Open the pull request once verified, without the Reviewer agent's review (default: the server's, normally on).
              --watch                     Keep following the feature like 'watch' does.
              --summary-json              End with one compact JSON line summarising the result.
              --interval-ms <ms>          With --watch: poll interval (default 1000).
              --timeout <seconds>         With --watch: stop watching after this long (exit 3).
              --json                      Print the submitted feature as one JSON object; with --watch, then the watch's JSON lines.
              --plain                     Print lines, not a table, even in a terminal (lines are the default when stdout is not one).
              --api <url>                 API base URL (default: $ORCHESTRATOR_API, else http://localhost:5080)
              --api-key <key>             API key (default: $ORCHESTRATOR_API_KEY; prefer the variable: an option's value shows in process lists)

            The first line printed is the feature id alone, so scripts can capture it (with --json: the 'id' of
            the first object). With --watch, the watch prints as 'orchestrator watch --help' describes.
            """,
            result.Stdout.TrimEnd().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task General_help_lists_the_global_options_and_exit_codes()
    {
        var result = await CliRunner.RunAsync(["-h"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("  --api <url>      API base URL (default: $ORCHESTRATOR_API, else http://localhost:5080)", result.StdoutLines);
        Assert.Contains("  -h, --help       Show help; 'orchestrator <command> --help' shows a command's options", result.StdoutLines);
        Assert.Contains("  3  usage error, API error, API unreachable, or watch timeout", result.StdoutLines);
    }

    [Fact]
    public async Task Invalid_api_url_in_the_environment_is_a_usage_error_unless_api_is_given()
    {
        var settings = new CliSettings { GetEnvironmentVariable = name => name == "ORCHESTRATOR_API" ? "ftp://env-host/" : null };
        var handler = new RecordingHandler();

        var fromEnvironment = await CliRunner.RunAsync(["list"], handler, settings);
        var help = await CliRunner.RunAsync(["list", "--help"], handler, settings);
        var fromFlag = await CliRunner.RunAsync(["list", "--api", "http://flag-host:7001"], handler, settings);

        Assert.Equal(3, fromEnvironment.ExitCode);
        Assert.Equal(
            ["error: ORCHESTRATOR_API must be an http:// or https:// URL, not 'ftp://env-host/'", "Run 'orchestrator list --help' for usage."],
            fromEnvironment.StderrLines);
        Assert.Equal(0, help.ExitCode);
        Assert.Equal(0, fromFlag.ExitCode);
        Assert.Equal(["http://flag-host:7001/features"], handler.Requests.Select(u => u.ToString()));
    }

    [Fact]
    public async Task Api_url_comes_from_the_environment_unless_given_on_the_command_line()
    {
        var settings = new CliSettings { GetEnvironmentVariable = name => name == "ORCHESTRATOR_API" ? "http://env-host:7000/prefix" : null };
        var handler = new RecordingHandler();

        await CliRunner.RunAsync(["list"], handler, settings);
        await CliRunner.RunAsync(["list", "--api", "http://flag-host:7001"], handler, settings);
        await CliRunner.RunAsync(["list"], handler, new CliSettings { GetEnvironmentVariable = _ => null });

        Assert.Equal(
            ["http://env-host:7000/prefix/features", "http://flag-host:7001/features", "http://localhost:5080/features"],
            handler.Requests.Select(u => u.ToString()));
    }
}
