using System.Diagnostics;
using Orchestrator.Cli.Tests.Support;
using static Orchestrator.Cli.Tests.Support.FeatureJson;

namespace Orchestrator.Cli.Tests;

/// <summary>The API key: where the CLI takes it from, that every call carries it, and what a 401 looks like.</summary>
public sealed class ApiKeyTests
{
    private const string Key = "0123456789abcdef0123456789abcdef-cli-test-key";
    private const string Refused = "error: the API refused the key (401): set ORCHESTRATOR_API_KEY to one of the keys the orchestrator accepts (its Api:Keys)";

    [Fact]
    public async Task The_key_from_ORCHESTRATOR_API_KEY_goes_as_a_bearer_token_with_every_call()
    {
        await using var api = await StubApi.StartAsync(
            submit: StubResponse.Json(Feature("Planning"), 202, location: $"/features/{Id}"),
            list: null,
            cancel: null,
            StubResponse.Json(Feature("Executing")),
            StubResponse.Json(Completed()));
        api.RequiredKey = Key;

        var result = await CliRunner.RunAsync(
            ["submit", "--api", api.Url, "--repository", "https://github.com/o/r.git", "--request", "x", "--watch", "--interval-ms", "20"],
            settings: CliRunner.WithEnvironment(("ORCHESTRATOR_API_KEY", Key)));

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.True(api.Requests.Count >= 3, "the submit and at least two polls");
        Assert.All(api.Requests, r => Assert.Equal($"Bearer {Key}", r.Authorization));
    }

    [Fact]
    public async Task The_api_key_option_wins_over_the_environment()
    {
        await using var api = await StubApi.StartAsync(submit: null, list: StubResponse.Json(new System.Text.Json.Nodes.JsonArray()), cancel: null);
        api.RequiredKey = Key;

        var result = await CliRunner.RunAsync(
            ["list", "--api", api.Url, "--api-key", Key],
            settings: CliRunner.WithEnvironment(("ORCHESTRATOR_API_KEY", "an-old-key-that-was-rotated-out-of-the-api")));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal($"Bearer {Key}", Assert.Single(api.Requests).Authorization);
    }

    [Fact]
    public async Task A_refused_key_is_one_line_without_the_key_and_exit_3()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Completed()));
        api.RequiredKey = Key;
        const string wrong = "ffffffffffffffffffffffffffffffff-wrong";

        var result = await CliRunner.RunAsync(["status", Id, "--api", api.Url], settings: CliRunner.WithEnvironment(("ORCHESTRATOR_API_KEY", wrong)));

        Assert.Equal(3, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal(Refused, Assert.Single(result.StderrLines));
        Assert.DoesNotContain(wrong, result.Stderr);
    }

    [Fact]
    public async Task Without_a_key_the_401_says_none_was_sent()
    {
        await using var api = await StubApi.StartAsync(submit: null, list: null, cancel: null);
        api.RequiredKey = Key;

        var result = await CliRunner.RunAsync(["list", "--api", api.Url]);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(
            "error: the API refused the key (401): none was sent; set ORCHESTRATOR_API_KEY to one of the keys the orchestrator accepts (its Api:Keys)",
            Assert.Single(result.StderrLines));
        Assert.Null(Assert.Single(api.Requests).Authorization);
    }

    [Fact]
    public async Task Watch_stops_at_once_on_a_refused_key_instead_of_retrying_it_as_an_outage()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Feature("Executing")));
        api.RequiredKey = Key;
        var settings = CliRunner.WithEnvironment(("ORCHESTRATOR_API_KEY", "ffffffffffffffffffffffffffffffff-wrong"));
        var clock = Stopwatch.StartNew();

        var result = await CliRunner.RunAsync(["watch", Id, "--api", api.Url, "--interval-ms", "20"], settings: settings);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(Refused, Assert.Single(result.StderrLines));
        Assert.Single(api.Requests);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("ORCHESTRATOR_API_KEY", "two words", "error: ORCHESTRATOR_API_KEY must be printable ASCII without spaces")]
    [InlineData(null, "two words", "error: --api-key must be printable ASCII without spaces")]
    [InlineData(null, "--request", "error: option --api-key needs a value")]
    public async Task An_unusable_key_is_a_usage_error_that_does_not_quote_it(string? variable, string key, string expected)
    {
        var handler = new RecordingHandler();
        string[] args = variable is null ? ["list", "--api-key", key] : ["list"];
        var settings = variable is null ? CliRunner.FastSettings : CliRunner.WithEnvironment((variable, key));

        var result = await CliRunner.RunAsync(args, handler, settings);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(expected, result.StderrLines[0]);
        Assert.DoesNotContain("two words", result.Stderr);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Help_offers_the_key_option_and_prefers_the_variable()
    {
        var result = await CliRunner.RunAsync(["--help"]);

        Assert.Contains(
            "  --api-key <key>  API key (default: $ORCHESTRATOR_API_KEY; prefer the variable: an option's value shows in process lists)",
            result.StdoutLines);
    }
}
