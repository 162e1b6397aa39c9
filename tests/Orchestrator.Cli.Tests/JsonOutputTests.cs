using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Cli.Tests.Support;
using static Orchestrator.Cli.Tests.Support.FeatureJson;

namespace Orchestrator.Cli.Tests;

/// <summary>--json on every command: JSON only on stdout, errors one line on stderr with a non-zero exit.</summary>
public sealed class JsonOutputTests
{
    private const string Fast = "20";

    [Fact]
    public async Task Watch_json_prints_a_change_object_per_change_then_the_summary()
    {
        await using var api = await StubApi.ServingFeatureAsync(
            StubResponse.Json(Feature("Executing", Task("implement-power", "coder", "Running", 1))),
            StubResponse.Json(Feature("Executing", Task("implement-power", "coder", "Running", 1))),
            StubResponse.Json(Completed()));

        var result = await CliRunner.RunAsync(["watch", Id, "--json", "--api", api.Url, "--interval-ms", Fast]);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        var objects = Parse(result.StdoutLines);

        // The unchanged second poll printed nothing.
        Assert.Equal(["change", "change", "summary"], objects.Select(o => o["type"]!.GetValue<string>()));
        var first = objects[0];
        Assert.True(DateTimeOffset.TryParse(first["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Contains("task implement-power (coder) Running attempt 1", first["changes"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("Executing", first["feature"]!["state"]!.GetValue<string>());
        Assert.Equal("coder", first["feature"]!["tasks"]![0]!["role"]!.GetValue<string>());
        Assert.Equal(PullRequestUrl, objects[1]["feature"]!["pullRequest"]!["url"]!.GetValue<string>());

        var summary = objects[^1];
        Assert.Equal(["type", "feature", "state", "tasks", "pullRequest"], summary.AsObject().Select(p => p.Key));
        Assert.Equal("Completed", summary["state"]!.GetValue<string>());
        Assert.Equal(PullRequestUrl, summary["pullRequest"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_json_of_a_failed_feature_ends_with_the_reason_in_the_summary_and_exits_1()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Finished("Failed", "coder gave up after 2 attempts")));

        var result = await CliRunner.RunAsync(["watch", Id, "--json", "--api", api.Url, "--interval-ms", Fast]);

        Assert.Equal(1, result.ExitCode);
        var summary = Parse(result.StdoutLines)[^1];
        Assert.Equal("summary", summary["type"]!.GetValue<string>());
        Assert.Equal("coder gave up after 2 attempts", summary["failureReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_json_keeps_outage_warnings_on_stderr_and_stdout_pure_json()
    {
        await using var api = await StubApi.ServingFeatureAsync(
            StubResponse.Problem(503, "Service Unavailable", "restarting"),
            StubResponse.Json(Completed()));

        var result = await CliRunner.RunAsync(["watch", Id, "--json", "--api", api.Url, "--interval-ms", Fast]);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("warning: Service Unavailable (HTTP 503)", result.StderrLines[0]);
        Assert.StartsWith("note: the API answers again", result.StderrLines[1]);
        Assert.Equal(["change", "summary"], Parse(result.StdoutLines).Select(o => o["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Submit_json_prints_one_submitted_object()
    {
        await using var api = await StubApi.StartAsync(
            submit: StubResponse.Json(Feature("Planning"), 202, location: $"/features/{Id}"), list: null, cancel: null);

        var result = await CliRunner.RunAsync(["submit", "--json", "--summary-json", "--api", api.Url, "--repository", "/repos/calc", "--request", "Add Power"]);

        Assert.Equal(0, result.ExitCode);
        var submitted = Assert.Single(Parse(result.StdoutLines));
        Assert.Equal("submitted", submitted["type"]!.GetValue<string>());
        Assert.Equal(Id, submitted["id"]!.GetValue<string>());
        Assert.Equal($"{api.BaseAddress}features/{Id}", submitted["location"]!.GetValue<string>());
        Assert.Equal("Planning", submitted["feature"]!["state"]!.GetValue<string>());
        Assert.True(submitted["feature"]!["scripted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Submit_watch_json_prints_the_submitted_object_the_changes_and_the_summary()
    {
        await using var api = await StubApi.StartAsync(
            submit: StubResponse.Json(Feature("Planning"), 202, location: $"/features/{Id}"),
            list: null,
            cancel: null,
            StubResponse.Json(Completed()));

        var result = await CliRunner.RunAsync(
            ["submit", "--json", "--watch", "--api", api.Url, "--repository", "/repos/calc", "--request", "Add Power", "--interval-ms", Fast]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["submitted", "change", "change", "summary"], Parse(result.StdoutLines).Select(o => o["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Status_show_list_and_cancel_json_print_the_api_s_answer_unchanged()
    {
        var feature = Finished("Failed", "boom");
        var features = new JsonArray(Completed(), Feature("Planning"));
        await using var api = await StubApi.StartAsync(
            submit: null, list: StubResponse.Json(features), cancel: StubResponse.Json(Feature("Executing"), 202), StubResponse.Json(feature));

        var status = await CliRunner.RunAsync(["status", Id, "--json", "--api", api.Url]);
        var show = await CliRunner.RunInTerminalAsync(["show", Id, "--json", "--api", api.Url]);
        var list = await CliRunner.RunInTerminalAsync(["list", "--json", "--api", api.Url]);
        var cancel = await CliRunner.RunAsync(["cancel", Id, "--json", "--reason", "wrong repository", "--api", api.Url]);

        Assert.All([status, show, list, cancel], r => Assert.Equal(0, r.ExitCode));
        Assert.Equal(feature.ToJsonString(), status.Stdout.TrimEnd());
        Assert.Equal(feature.ToJsonString(), show.Stdout.TrimEnd());
        Assert.Equal(features.ToJsonString(), list.Stdout.TrimEnd());
        Assert.Equal(Feature("Executing").ToJsonString(), cancel.Stdout.TrimEnd());
        Assert.Empty(show.Terminal + list.Terminal);
        using var body = JsonDocument.Parse(api.Requests.Single(r => r.Method == "POST").Body);
        Assert.Equal("wrong repository", body.RootElement.GetProperty("reason").GetString());
    }

    public static TheoryData<string[], string> FailingJsonCommands => new()
    {
        { ["list", "--json"], "error: Internal Server Error (HTTP 500): <html> <body>Internal error</body> </html>" },
        { ["cancel", Id, "--json"], "error: Feature already finished (HTTP 409): The feature is Completed." },
        { ["show", Id, "--json"], $"error: Not Found (HTTP 404): feature {Id} does not exist" },
        { ["submit", "--json", "--repository", "/repos/calc", "--request", "?"], "error: One or more validation errors occurred. (HTTP 400): The feature request is invalid." },
    };

    [Theory]
    [MemberData(nameof(FailingJsonCommands))]
    public async Task Json_errors_are_one_line_on_stderr_nothing_on_stdout_and_exit_3(string[] args, string error)
    {
        await using var api = await StubApi.StartAsync(
            submit: StubResponse.Problem(400, "One or more validation errors occurred.", "The feature request is invalid."),
            list: new StubResponse(500, "<html>\n<body>Internal error</body>\n</html>", "text/html"),
            cancel: StubResponse.Problem(409, "Feature already finished", "The feature is Completed."),
            StubResponse.Problem(404, "Not Found", $"feature {Id} does not exist"));

        var result = await CliRunner.RunAsync([.. args, "--api", api.Url]);

        Assert.Equal(3, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal(error, Assert.Single(result.StderrLines));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_an_error_not_output()
    {
        await using var api = await StubApi.StartAsync(submit: null, list: new StubResponse(200, "<html>login</html>", "text/html"), cancel: null);

        var result = await CliRunner.RunAsync(["list", "--json", "--api", api.Url]);

        Assert.Equal(3, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.StartsWith("error: the API answered 200 with a body that is not what was expected", Assert.Single(result.StderrLines));
    }

    private static List<JsonNode> Parse(IReadOnlyList<string> lines) => lines.Select(line => JsonNode.Parse(line)!).ToList();
}
