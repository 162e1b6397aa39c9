using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Cli.Tests.Support;
using static Orchestrator.Cli.Tests.Support.FeatureJson;

namespace Orchestrator.Cli.Tests;

/// <summary><c>logs</c> over real HTTP: a task's transcript, every task's, live, as JSON lines, and the API's errors.</summary>
public sealed class LogsAgainstStubApiTests
{
    private static readonly CliSettings InUtc = new()
    {
        Time = new UtcClock(),
        RequestTimeout = TimeSpan.FromSeconds(10),
        GetEnvironmentVariable = _ => null,
    };

    private static JsonObject Entry(int sequence, string kind, bool ok = true) => new()
    {
        ["attempt"] = 1,
        ["sequence"] = sequence,
        ["at"] = $"2026-11-30T03:00:0{sequence}+00:00",
        ["kind"] = kind,
        ["name"] = kind == "model" ? "scripted:demo" : "workspace_read_file",
        ["summary"] = kind == "model" ? "asked for workspace_read_file(path: \"README.md\")" : "path: \"README.md\"",
        ["result"] = kind == "model" ? null : ok ? "# Greeter" : "Error: file 'README.md' does not exist.",
        ["ok"] = ok,
        ["durationMs"] = 12 + sequence,
        ["inputTokens"] = kind == "model" ? 900 : null,
        ["outputTokens"] = kind == "model" ? 40 : null,
        ["addedInAFutureVersion"] = true,
    };

    private static StubResponse Log(string task, params JsonObject[] entries) =>
        StubResponse.Json(new JsonObject { ["featureId"] = Id, ["taskId"] = task, ["entries"] = new JsonArray(entries) });

    private static string LogPath(string task) => $"GET /features/{Id}/tasks/{task}/log";

    [Fact]
    public async Task Prints_each_step_of_one_task_as_a_line_with_time_kind_name_summary_duration_and_tokens()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Completed()));
        api.Routes[LogPath("implement-power")] = Log("implement-power", Entry(1, "model"), Entry(2, "tool", ok: false));

        var result = await CliRunner.RunAsync(["logs", Id, "--task", "implement-power", "--api", api.Url], settings: InUtc);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
        [
            "03:00:01  implement-power  1.1  model  scripted:demo  asked for workspace_read_file(path: \"README.md\")  13 ms  tokens 900 in / 40 out",
            "03:00:02  implement-power  1.2  tool [error]  workspace_read_file  path: \"README.md\" → Error: file 'README.md' does not exist.  14 ms",
        ], result.StdoutLines);
        Assert.DoesNotContain(api.Requests, r => r.Path == $"/features/{Id}");
    }

    [Fact]
    public async Task Without_a_task_prints_every_task_of_the_feature_in_plan_order()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Completed()));
        api.Routes[LogPath("implement-power")] = Log("implement-power", Entry(1, "model"));
        api.Routes[LogPath("test-power")] = Log("test-power", Entry(1, "model"), Entry(2, "tool"));

        var result = await CliRunner.RunAsync(["logs", Id, "--api", api.Url], settings: InUtc);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["implement-power 1.1", "test-power 1.1", "test-power 1.2"],
            result.StdoutLines.Select(l => string.Join(' ', l.Split("  ")[1..3])));
    }

    [Fact]
    public async Task Json_prints_one_object_per_step_with_its_task()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Completed()));
        api.Routes[LogPath("test-power")] = Log("test-power", Entry(1, "model"), Entry(2, "tool"));

        var result = await CliRunner.RunAsync(["logs", Id, "--task", "test-power", "--json", "--api", api.Url]);

        Assert.Equal(0, result.ExitCode);
        var lines = result.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal("test-power", l.GetProperty("taskId").GetString()));
        Assert.Equal(900, lines[0].GetProperty("inputTokens").GetInt64());
        Assert.Equal(("tool", "# Greeter", 14), (lines[1].GetProperty("kind").GetString(), lines[1].GetProperty("result").GetString(),
            lines[1].GetProperty("durationMs").GetInt32()));
    }

    [Fact]
    public async Task Follow_prints_the_steps_the_live_stream_sends_until_it_ends()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Completed()));
        var events = $"event: entry\ndata: {Entry(1, "model").ToJsonString()}\n\n: a comment\n\nevent: entry\ndata: {Entry(2, "tool").ToJsonString()}\n\n";
        api.Routes[$"{LogPath("implement-power")}/events"] = new StubResponse(200, events, "text/event-stream");

        var result = await CliRunner.RunAsync(["logs", Id, "--task", "implement-power", "--follow", "--api", api.Url], settings: InUtc);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.StdoutLines.Count);
        Assert.StartsWith("03:00:01  implement-power  1.1  model", result.StdoutLines[0], StringComparison.Ordinal);
        Assert.StartsWith("03:00:02  implement-power  1.2  tool  workspace_read_file  path: \"README.md\" → # Greeter", result.StdoutLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_task_is_one_line_on_stderr_and_exit_3()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Completed()));
        api.Routes[LogPath("nope")] = StubResponse.Problem(404, "Task not found", $"Feature {Id} has no task 'nope'.");

        var result = await CliRunner.RunAsync(["logs", Id, "--task", "nope", "--api", api.Url]);

        Assert.Equal(3, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal($"error: Task not found (HTTP 404): Feature {Id} has no task 'nope'.", Assert.Single(result.StderrLines));
    }

    [Fact]
    public async Task A_feature_id_that_is_not_a_guid_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync(["logs", "not-a-guid"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("is not a feature id", result.StderrLines[0], StringComparison.Ordinal);
    }

    private sealed class UtcClock : TimeProvider
    {
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
