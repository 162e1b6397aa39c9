using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Testing;

namespace Orchestrator.Llm.Tests;

/// <summary>Semantic Kernel's function-calling loop, as AgentTaskRunner runs it, against an OpenAI-compatible server.</summary>
public sealed class AgentLoopTests(ITestOutputHelper output)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly PromptExecutionSettings Auto = new() { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

    private static ChatHistory Conversation()
    {
        var history = new ChatHistory("You are a test agent.");
        history.AddUserMessage("Write docs/new.md.");
        return history;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_tool_call_writes_the_file_and_the_final_answer_ends_the_loop(bool streaming)
    {
        await using var rig = await ModelRig.StartAsync(output);
        rig.StandIn.Enqueue(
            StandInReply.Tool("workspace_write_file", new { path = "docs/new.md", content = "# Written by a tool\n" }) with { Usage = new(100, 20) },
            StandInReply.Text("Wrote docs/new.md.", new StandInUsage(150, 5)));
        var (kernel, workspace, activity) = rig.KernelWithWorkspace();
        var meter = new UsageMeter(10);

        using var client = await rig.ClientAsync(rig.Llm, "task-a", meter);
        var chat = client.AsChatCompletionService(rig.Services);
        string? answer;
        if (streaming)
        {
            var parts = new List<string>();
            await foreach (var update in chat.GetStreamingChatMessageContentsAsync(Conversation(), Auto, kernel, _ct).WithCancellation(_ct))
            {
                parts.Add(update.Content ?? "");
            }

            answer = string.Concat(parts);
        }
        else
        {
            answer = (await chat.GetChatMessageContentAsync(Conversation(), Auto, kernel, _ct).WaitAsync(Timeout, _ct)).Content;
        }

        Assert.Equal("Wrote docs/new.md.", answer);
        Assert.Equal("# Written by a tool\n", File.ReadAllText(Path.Combine(workspace, "docs", "new.md")));
        Assert.Single(activity.Calls);
        var requests = rig.StandIn.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(streaming, r.Stream));
        Assert.All(requests, r => Assert.True(r.HadBearerAuth));
        Assert.All(requests, r => Assert.True(r.KeyAccepted));
        Assert.Contains("workspace_write_file", requests[0].ToolNames);
        var result = Assert.Single(requests[1].ToolMessages);
        Assert.Contains("Wrote docs/new.md", result.Content, StringComparison.Ordinal);
        Assert.Equal(new Orchestrator.Contracts.TokenUsage(250, 25, 2), meter.Total);
    }

    private static async Task<string?> RunAsync(ModelRig rig, Kernel kernel, UsageMeter meter, bool streaming, CancellationToken cancellationToken)
    {
        using var client = await rig.ClientAsync(rig.Llm, "task-a", meter);
        var chat = client.AsChatCompletionService(rig.Services);
        if (!streaming)
        {
            return (await chat.GetChatMessageContentAsync(Conversation(), Auto, kernel, cancellationToken)).Content;
        }

        var parts = new List<string>();
        await foreach (var update in chat.GetStreamingChatMessageContentsAsync(Conversation(), Auto, kernel, cancellationToken))
        {
            parts.Add(update.Content ?? "");
        }

        return string.Concat(parts);
    }

    [Theory]
    [InlineData("""{"path": "docs/a.md", "content": """, "are not valid JSON", false)]
    [InlineData("""{"path": "docs/a.md"}""", "the required argument 'content' is missing", false)]
    [InlineData("""{"path": 5, "content": "x"}""", "'path' must be a string, not a number", false)]
    [InlineData("""{"path": "docs/a.md", "content": """, "are not valid JSON", true)]
    public async Task A_tool_call_with_bad_arguments_is_answered_with_what_was_wrong_and_the_loop_goes_on(string arguments, string explanation, bool streaming)
    {
        await using var rig = await ModelRig.StartAsync(output);
        rig.StandIn.Enqueue(
            StandInReply.ToolRaw("workspace_write_file", arguments),
            StandInReply.Tool("workspace_write_file", new { path = "docs/a.md", content = "fixed" }),
            StandInReply.Text("Done after fixing the call."));
        var (kernel, workspace, activity) = rig.KernelWithWorkspace();

        var answer = await RunAsync(rig, kernel, new UsageMeter(10), streaming, _ct).WaitAsync(Timeout, _ct);

        Assert.Equal("Done after fixing the call.", answer);
        var error = Assert.Single(rig.StandIn.Requests[1].ToolMessages).Content ?? "";
        output.WriteLine(error);
        Assert.StartsWith("Error: ", error, StringComparison.Ordinal);
        Assert.Contains(explanation, error, StringComparison.Ordinal);
        Assert.Contains("\"content\": string (required)", error, StringComparison.Ordinal);
        Assert.Equal("fixed", File.ReadAllText(Path.Combine(workspace, "docs", "a.md")));
        Assert.Single(activity.Calls); // the bad call never reached the tool
    }

    [Fact]
    public async Task Tool_output_over_the_limit_reaches_the_model_truncated_with_a_note()
    {
        await using var rig = await ModelRig.StartAsync(output);
        rig.StandIn.Enqueue(StandInReply.Tool("workspace_read_file", new { path = "big.txt" }), StandInReply.Text("Read it."));
        var (kernel, workspace, _) = rig.KernelWithWorkspace(new Agents.AgentOptions { MaxToolOutputChars = 1_000 });
        File.WriteAllText(Path.Combine(workspace, "big.txt"), new string('x', 5_000));

        await RunAsync(rig, kernel, new UsageMeter(10), streaming: false, _ct).WaitAsync(Timeout, _ct);

        var result = Assert.Single(rig.StandIn.Requests[1].ToolMessages).Content!;
        Assert.Equal(new string('x', 600) + "\n... [4000 characters cut here; the start and the end are shown] ...\n" + new string('x', 400), result);
    }

    [Fact]
    public async Task A_model_that_never_finishes_is_stopped_at_the_call_limit()
    {
        await using var rig = await ModelRig.StartAsync(output);
        rig.StandIn.Fallback = _ => StandInReply.Tool("workspace_list_files", new { path = "." });
        var (kernel, _, _) = rig.KernelWithWorkspace();

        var error = await Assert.ThrowsAsync<ModelCallLimitException>(() => RunAsync(rig, kernel, new UsageMeter(4), streaming: false, _ct).WaitAsync(Timeout, _ct));

        Assert.Contains("4 calls", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, rig.StandIn.Requests.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_429_is_retried_after_the_wait_the_endpoint_asks_for(bool streaming)
    {
        await using var rig = await ModelRig.StartAsync(output);
        rig.StandIn.Enqueue(StandInReply.TooManyRequests(TimeSpan.FromMilliseconds(300)), StandInReply.Text("Done."));
        var (kernel, _, _) = rig.KernelWithWorkspace();
        var meter = new UsageMeter(10);

        var answer = await RunAsync(rig, kernel, meter, streaming, _ct).WaitAsync(Timeout, _ct);

        Assert.Equal("Done.", answer);
        var requests = rig.StandIn.Requests;
        Assert.Equal(2, requests.Count);
        // The rig's own backoff is 10 ms: only the endpoint's Retry-After makes the gap this long (no upper bound: a
        // loaded machine may take longer, and speed is the benchmarks' business).
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(280), "the retry did not wait for Retry-After");
        Assert.Equal(1, meter.Total.Calls); // one model call, two HTTP requests
        Assert.Contains(rig.Logs.Lines, line => line.Contains("429 Too Many Requests", StringComparison.Ordinal) && line.Contains("retry 1 of 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Retry_After_in_seconds_is_honoured_when_no_milliseconds_come_with_it()
    {
        await using var rig = await ModelRig.StartAsync(output, settings: new Dictionary<string, string?> { ["Models:RetryMaxDelay"] = "00:00:05" });
        rig.StandIn.Enqueue(StandInReply.TooManyRequests(TimeSpan.FromSeconds(1)) with { RetryAfterMilliseconds = false }, StandInReply.Text("Done."));
        var (kernel, _, _) = rig.KernelWithWorkspace();

        await RunAsync(rig, kernel, new UsageMeter(10), streaming: false, _ct).WaitAsync(Timeout, _ct);

        var requests = rig.StandIn.Requests;
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(950), "the retry did not wait for Retry-After");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_server_error_storm_fails_naming_the_status_after_the_retries(bool streaming)
    {
        await using var rig = await ModelRig.StartAsync(output, settings: new Dictionary<string, string?> { ["Models:MaxRetries"] = "3" });
        rig.StandIn.Fallback = _ => StandInReply.ServerError();
        var (kernel, _, _) = rig.KernelWithWorkspace();

        var error = await Assert.ThrowsAsync<ModelEndpointException>(() => RunAsync(rig, kernel, new UsageMeter(10), streaming, _ct).WaitAsync(Timeout, _ct));

        Assert.Equal("the model endpoint failed: 500 Internal Server Error after 3 retries", error.Message);
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(4, rig.StandIn.Requests.Count);
    }

    [Fact]
    public async Task A_refused_request_is_not_retried_and_its_reason_never_repeats_the_key()
    {
        await using var rig = await ModelRig.StartAsync(output, s => s.ConnectionString(key: "sk-wrong-key-0123456789"));

        var error = await Assert.ThrowsAsync<ModelEndpointException>(() =>
            RunAsync(rig, rig.KernelWithWorkspace().Kernel, new UsageMeter(10), streaming: false, _ct).WaitAsync(Timeout, _ct));

        Assert.StartsWith("the model endpoint refused the request: 401 Unauthorized: Incorrect API key provided: sk-***", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-key", error.ToString(), StringComparison.Ordinal);
        Assert.Single(rig.StandIn.Requests);
        rig.AssertNoLogContains("sk-wrong-key-0123456789");
    }

    [Fact]
    public async Task A_request_that_gets_no_answer_in_time_is_retried()
    {
        await using var rig = await ModelRig.StartAsync(output, settings: new Dictionary<string, string?> { ["Models:RequestTimeout"] = "00:00:01" });
        rig.StandIn.Enqueue(StandInReply.Text("too late") with { Delay = TimeSpan.FromSeconds(10) }, StandInReply.Text("Done."));
        var (kernel, _, _) = rig.KernelWithWorkspace();

        var answer = await RunAsync(rig, kernel, new UsageMeter(10), streaming: false, _ct).WaitAsync(Timeout, _ct);

        Assert.Equal("Done.", answer);
        Assert.Equal(2, rig.StandIn.Requests.Count);
        Assert.Contains(rig.Logs.Lines, line => line.Contains("no answer within 1 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_that_stalls_fails_with_the_reason()
    {
        await using var rig = await ModelRig.StartAsync(output, settings: new Dictionary<string, string?> { ["Models:RequestTimeout"] = "00:00:01" });
        rig.StandIn.Enqueue(StandInReply.Text("slow words") with { ChunkDelay = TimeSpan.FromSeconds(3) });
        var (kernel, _, _) = rig.KernelWithWorkspace();

        var error = await Assert.ThrowsAsync<ModelEndpointException>(() => RunAsync(rig, kernel, new UsageMeter(10), streaming: true, _ct).WaitAsync(Timeout, _ct));

        Assert.Equal("the model endpoint's streamed answer stalled for 1 s", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancellation_stops_a_call_the_model_is_still_answering(bool streaming)
    {
        await using var rig = await ModelRig.StartAsync(output);
        // The answer would take ten minutes: only cancellation ends the call within the wait.
        rig.StandIn.Enqueue(StandInReply.Text("never sent") with { Delay = TimeSpan.FromMinutes(10) });
        var (kernel, _, _) = rig.KernelWithWorkspace();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_ct);

        var call = RunAsync(rig, kernel, new UsageMeter(10), streaming, cancellation.Token);
        await rig.StandIn.WaitForRequestsAsync(1, _ct).WaitAsync(Timeout, _ct);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Timeout, _ct));
        Assert.Single(rig.StandIn.Requests);
    }

    [Fact]
    public async Task Cancellation_stops_the_wait_before_a_retry()
    {
        // The retry would wait ten minutes: only cancellation ends the wait within the test's bound.
        await using var rig = await ModelRig.StartAsync(output, settings: new Dictionary<string, string?> { ["Models:RetryMaxDelay"] = "00:10:00" });
        rig.StandIn.Enqueue(StandInReply.TooManyRequests(TimeSpan.FromMinutes(10)));
        var (kernel, _, _) = rig.KernelWithWorkspace();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_ct);

        var call = RunAsync(rig, kernel, new UsageMeter(10), streaming: false, cancellation.Token);
        await rig.StandIn.WaitForRequestsAsync(1, _ct).WaitAsync(Timeout, _ct);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Timeout, _ct));
        Assert.Single(rig.StandIn.Requests);
    }

    [Fact]
    public async Task The_key_never_appears_in_any_log_line_of_a_loop_with_retries_and_tools()
    {
        await using var rig = await ModelRig.StartAsync(output);
        rig.StandIn.Enqueue(
            StandInReply.ServerError(),
            StandInReply.Tool("workspace_write_file", new { path = "a.md", content = "a" }),
            StandInReply.TooManyRequests(TimeSpan.FromMilliseconds(20)),
            StandInReply.Text("Done."));
        var (kernel, _, _) = rig.KernelWithWorkspace();

        await RunAsync(rig, kernel, new UsageMeter(10), streaming: false, _ct).WaitAsync(Timeout, _ct);

        Assert.Equal(4, rig.StandIn.Requests.Count);
        Assert.All(rig.StandIn.Requests, r => Assert.True(r.KeyAccepted));
        rig.AssertNoLogContains(OpenAiStandIn.DefaultKey);
        rig.AssertNoLogContains("0123456789abcdef");
    }
}
