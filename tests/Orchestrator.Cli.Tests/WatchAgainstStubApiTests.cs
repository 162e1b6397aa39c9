using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Orchestrator.Cli.Tests.Support;
using static Orchestrator.Cli.Tests.Support.FeatureJson;

namespace Orchestrator.Cli.Tests;

/// <summary>submit --watch and watch over real HTTP against a stub API that plays a scripted feature.</summary>
public sealed class WatchAgainstStubApiTests
{
    private const string Fast = "20";

    [Fact]
    public async Task Submit_watch_summary_json_follows_the_feature_to_its_pull_request_and_exits_0()
    {
        await using var api = await StubApi.StartAsync(
            submit: StubResponse.Json(Feature("Planning"), 202, location: $"/features/{Id}"),
            list: null,
            cancel: null,
            // The read side may not know the feature yet right after the submit.
            StubResponse.Problem(404, "Not Found", "no such feature"),
            StubResponse.Json(Feature("Planning")),
            StubResponse.Json(Feature("Executing", Task("implement-power", "coder", "Pending"), Task("test-power", "tester", "Pending"))),
            StubResponse.Json(Feature("Executing", Task("implement-power", "coder", "Running", 1), Task("test-power", "tester", "Pending"))),
            StubResponse.Json(Feature("Executing", Task("implement-power", "coder", "Running", 1), Task("test-power", "tester", "Pending"))),
            StubResponse.Json(Feature(
                "Executing",
                Task("implement-power", "coder", "Completed", 1, Branch("implement-power"), "abcdef1234567", "Added Power\nmore"),
                Task("test-power", "tester", "Running", 1))),
            StubResponse.Json(Feature(
                "Consolidating",
                Task("implement-power", "coder", "Completed", 1, Branch("implement-power"), "abcdef1234567", "Added Power\nmore"),
                Task("test-power", "tester", "Completed", 1, Branch("test-power"), "1234567abcdef", "Tested Power"))),
            StubResponse.Json(Completed()));

        var result = await CliRunner.RunAsync(
        [
            "submit", "--api", api.Url, "--repository", "/repos/calc", "--request", "Add a Power method",
            "--script", "demo-power", "--watch", "--summary-json", "--interval-ms", Fast,
        ]);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Empty(result.Stderr);

        var lines = result.StdoutLines;
        Assert.Equal(Id, lines[0]);
        Assert.Equal($"Location: {api.BaseAddress}features/{Id}", lines[1]);

        // Polls that returned an identical snapshot printed nothing.
        Assert.Single(lines, l => l.EndsWith($"feature {Id} Executing", StringComparison.Ordinal));
        Assert.Single(lines, l => l.EndsWith("task implement-power (coder) Running attempt 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith($"task implement-power (coder) Completed {Branch("implement-power")} abcdef1: Added Power", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("uses model scripted:demo-power", StringComparison.Ordinal));
        Assert.Matches(@"^\d\d:\d\d:\d\d pull request #1 opened: file:///repos/calc/pulls/1 \(orchestrator/1a2b3c4d → main\)$", lines[^2]);

        using var summary = JsonDocument.Parse(lines[^1]);
        var root = summary.RootElement;
        Assert.Equal(Id, root.GetProperty("feature").GetString());
        Assert.Equal("Completed", root.GetProperty("state").GetString());
        Assert.Equal(["coder", "tester"], root.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("role").GetString()));
        Assert.Equal(Branch("test-power"), root.GetProperty("tasks")[1].GetProperty("branch").GetString());
        Assert.Equal(PullRequestUrl, root.GetProperty("pullRequest").GetProperty("url").GetString());
        Assert.Equal("main", root.GetProperty("pullRequest").GetProperty("base").GetString());
        Assert.Equal("/repos/calc", root.GetProperty("pullRequest").GetProperty("repository").GetString());
        Assert.False(root.TryGetProperty("failureReason", out _));

        var post = Assert.Single(api.Requests, r => r.Method == "POST");
        using var body = JsonDocument.Parse(post.Body);
        Assert.Equal("/repos/calc", body.RootElement.GetProperty("repository").GetString());
        Assert.Equal("main", body.RootElement.GetProperty("baseBranch").GetString());
        Assert.Equal("Add a Power method", body.RootElement.GetProperty("request").GetString());
        Assert.Equal("demo-power", body.RootElement.GetProperty("script").GetString());
    }

    [Fact]
    public async Task Failed_feature_prints_the_reason_and_exits_1()
    {
        await using var api = await StubApi.ServingFeatureAsync(
            StubResponse.Json(Feature("Executing", Task("implement-power", "coder", "Running", 1))),
            StubResponse.Json(Finished("Failed", "coder gave up after 2 attempts")));

        var result = await CliRunner.RunAsync(["watch", Id, "--api", api.Url, "--interval-ms", Fast, "--summary-json"]);

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith($"feature {Id} Failed: coder gave up after 2 attempts", result.StdoutLines[^2]);
        using var summary = JsonDocument.Parse(result.StdoutLines[^1]);
        Assert.Equal("Failed", summary.RootElement.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, summary.RootElement.GetProperty("pullRequest").ValueKind);
        Assert.Equal("coder gave up after 2 attempts", summary.RootElement.GetProperty("failureReason").GetString());
    }

    [Fact]
    public async Task Cancelled_feature_exits_2()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Finished("Cancelled", "cancelled by user")));

        var result = await CliRunner.RunAsync(["watch", Id, "--api", api.Url, "--interval-ms", Fast]);

        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("Cancelled: cancelled by user", result.StdoutLines[^1]);
    }

    [Fact]
    public async Task Completed_feature_without_a_pull_request_is_not_a_success()
    {
        var completed = Completed();
        completed["pullRequest"] = null;
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(completed));

        var result = await CliRunner.RunAsync(["watch", Id, "--api", api.Url, "--interval-ms", Fast]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no pull request", result.Stderr);
    }

    [Fact]
    public async Task Transient_server_errors_are_ridden_out_with_one_warning_and_one_note_when_the_api_is_back()
    {
        await using var api = await StubApi.ServingFeatureAsync(
            StubResponse.Problem(503, "Service Unavailable", "restarting"),
            StubResponse.Problem(503, "Service Unavailable", "restarting"),
            StubResponse.Problem(503, "Service Unavailable", "restarting"),
            StubResponse.Json(Completed()));

        var result = await CliRunner.RunAsync(["watch", Id, "--api", api.Url, "--interval-ms", Fast]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.StderrLines.Count);
        Assert.StartsWith("warning: Service Unavailable (HTTP 503): restarting; retrying", result.StderrLines[0]);
        Assert.Matches(@"^note: the API answers again after [\d.]+ s \(the orchestrator may have restarted\); still watching$", result.StderrLines[1]);
    }

    [Fact]
    public async Task Unreachable_api_gives_up_with_a_clear_message_and_exits_3()
    {
        var result = await CliRunner.RunAsync(["watch", Id, "--api", $"http://127.0.0.1:{ClosedPort()}", "--interval-ms", Fast]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("cannot reach the Orchestrator API at http://127.0.0.1:", result.StderrLines[^1]);
        Assert.StartsWith("error: gave up after", result.StderrLines[^1]);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task Not_found_beyond_the_grace_period_exits_3()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Problem(404, "Not Found", $"feature {Id} does not exist"));
        var settings = new CliSettings
        {
            // Long enough that even a slow first request leaves room for retries inside the grace period.
            NotFoundGrace = TimeSpan.FromSeconds(1),
            RetryDelay = TimeSpan.FromMilliseconds(20),
            GetEnvironmentVariable = _ => null,
        };

        var result = await CliRunner.RunAsync(["watch", Id, "--api", api.Url, "--interval-ms", Fast], settings: settings);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"error: Not Found (HTTP 404): feature {Id} does not exist", Assert.Single(result.StderrLines));
        Assert.True(api.Requests.Count > 1, "a 404 inside the grace period is retried");
    }

    [Fact]
    public async Task Timeout_exits_3_and_still_ends_with_the_summary()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Feature("Executing", Task("implement-power", "coder", "Running", 1))));

        var result = await CliRunner.RunAsync(["watch", Id, "--api", api.Url, "--interval-ms", "50", "--timeout", "0.3", "--summary-json"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("timed out after 0.3 s", result.Stderr);
        using var summary = JsonDocument.Parse(result.StdoutLines[^1]);
        Assert.Equal("Executing", summary.RootElement.GetProperty("state").GetString());
        Assert.Single(result.StdoutLines, l => l.EndsWith("Running attempt 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Interrupt_stops_watching_with_exit_130_and_says_how_to_resume()
    {
        await using var api = await StubApi.ServingFeatureAsync(StubResponse.Json(Feature("Executing", Task("implement-power", "coder", "Running", 1))));
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        // Program.cs turns Ctrl+C into this token; it must reach the watch through System.CommandLine's invocation.
        interrupt.CancelAfter(TimeSpan.FromMilliseconds(300));
        var exitCode = await CliApp.RunAsync(
            ["watch", Id, "--api", api.Url, "--interval-ms", Fast], stdout, stderr, settings: CliRunner.FastSettings, cancellationToken: interrupt.Token);

        Assert.Equal(130, exitCode);
        Assert.Equal($"stopped watching; feature {Id} keeps running (resume with: orchestrator watch {Id})", stderr.ToString().Trim());
        Assert.Contains("Running attempt 1", stdout.ToString());
    }

    private static int ClosedPort()
    {
        // Bind and release a port so nothing listens on it during the test.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
