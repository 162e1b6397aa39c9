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
        foreach (var command in new[] { "submit", "watch", "status", "list", "cancel" })
        {
            Assert.Contains($"orchestrator {command}", result.Stdout);
        }
    }

    [Theory]
    [InlineData("submit", "--repository <url-or-path>")]
    [InlineData("watch", "--interval-ms <ms>")]
    [InlineData("status", "--json")]
    [InlineData("cancel", "--reason <text>")]
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
