using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Testing;
using Orchestrator.Tests.Support;

namespace Orchestrator.Llm.Tests;

/// <summary>How requests reach the endpoint: provider dialects, the key, the model; how failed ones end.</summary>
public sealed class EndpointTests(ITestOutputHelper output)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<string?> AskAsync(ModelRig rig, Contracts.ModelSelection model, CancellationToken cancellationToken)
    {
        using var client = await rig.ClientAsync(model, "task-a", new UsageMeter(5));
        var history = new ChatHistory("You are a test.");
        history.AddUserMessage("Hello.");
        var reply = await client.AsChatCompletionService(rig.Services).GetChatMessageContentAsync(
            history, new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, new Kernel(rig.Services), cancellationToken);
        return reply.Content;
    }

    [Fact]
    public async Task An_OpenAI_compatible_endpoint_gets_the_key_as_a_bearer_token_and_the_configured_model()
    {
        await using var rig = await ModelRig.StartAsync(output);
        rig.StandIn.Enqueue(StandInReply.Text("Hi."));

        Assert.Equal("Hi.", await AskAsync(rig, rig.Llm, _ct).WaitAsync(Timeout, _ct));

        var request = Assert.Single(rig.StandIn.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.True(request.HadBearerAuth);
        Assert.False(request.HadApiKeyHeader);
        Assert.Equal(OpenAiStandIn.DefaultModel, request.Model);
        Assert.Equal("openai:stand-in-model", rig.Llm.Description);
    }

    [Fact]
    public async Task A_requested_model_id_is_the_model_asked_for_and_labels_the_selection()
    {
        await using var rig = await ModelRig.StartAsync(output);
        rig.StandIn.Enqueue(StandInReply.Text("Hi."));
        var selection = rig.Factory.SelectLive("gpt-4.1-mini");

        await AskAsync(rig, selection, _ct).WaitAsync(Timeout, _ct);

        Assert.Equal("gpt-4.1-mini", Assert.Single(rig.StandIn.Requests).Model);
        Assert.Equal("openai:gpt-4.1-mini", selection.Description);
        Assert.Equal("gpt-4.1-mini", selection.ModelId);
        Assert.False(selection.IsScripted);
    }

    [Fact]
    public async Task A_local_server_without_a_key_gets_no_authorization_header()
    {
        await using var rig = await ModelRig.StartAsync(output, s => s.ConnectionString(key: null));
        rig.StandIn.ExpectedKey = null;
        rig.StandIn.Enqueue(StandInReply.Text("Hi."));

        await AskAsync(rig, rig.Llm, _ct).WaitAsync(Timeout, _ct);

        var request = Assert.Single(rig.StandIn.Requests);
        Assert.False(request.HadBearerAuth);
        Assert.False(request.Headers.ContainsKey("authorization"));
    }

    [Fact]
    public async Task Azure_OpenAI_gets_the_deployment_path_the_api_version_and_an_api_key_header()
    {
        await using var rig = await ModelRig.StartAsync(output, s => s.AzureConnectionString(deployment: "gpt-4o-prod"));
        rig.StandIn.Enqueue(StandInReply.Text("Hi."));

        Assert.Equal("Hi.", await AskAsync(rig, rig.Llm, _ct).WaitAsync(Timeout, _ct));

        var request = Assert.Single(rig.StandIn.Requests);
        Assert.Equal("/openai/deployments/gpt-4o-prod/chat/completions", request.Path);
        Assert.Equal($"?api-version={LlmConnection.DefaultAzureApiVersion}", request.Query);
        Assert.True(request.HadApiKeyHeader);
        Assert.False(request.HadBearerAuth);
        Assert.True(request.KeyAccepted);
        Assert.Equal("azure-openai:gpt-4o-prod", rig.Llm.Description);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_Retry_After_beyond_the_configured_maximum_waits_only_the_maximum(bool milliseconds)
    {
        // The endpoint asks for ten minutes; Models:RetryMaxDelay (1 s in the rig) must win, or the bound below fails.
        await using var rig = await ModelRig.StartAsync(output);
        rig.StandIn.Enqueue(StandInReply.TooManyRequests(TimeSpan.FromMinutes(10)) with { RetryAfterMilliseconds = milliseconds }, StandInReply.Text("Hi."));

        Assert.Equal("Hi.", await AskAsync(rig, rig.Llm, _ct).WaitAsync(Eventually.DefaultTimeout, _ct));

        Assert.Equal(2, rig.StandIn.Requests.Count);
        Assert.Contains(rig.Logs.Lines, line => line.Contains("429 Too Many Requests", StringComparison.Ordinal)
                                                && line.Contains("retry 1 of 4 in 1000 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_retries_turned_off_a_server_error_fails_at_once_naming_the_status()
    {
        await using var rig = await ModelRig.StartAsync(output, settings: new Dictionary<string, string?> { ["Models:MaxRetries"] = "0" });
        rig.StandIn.Fallback = _ => StandInReply.Error(503);

        var error = await Assert.ThrowsAsync<ModelEndpointException>(() => AskAsync(rig, rig.Llm, _ct).WaitAsync(Timeout, _ct));

        Assert.Equal("the model endpoint failed: 503 Service Unavailable after 0 retries", error.Message);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Single(rig.StandIn.Requests);
    }

    [Fact]
    public async Task An_endpoint_nobody_answers_at_fails_after_the_retries_naming_its_address_and_never_the_key()
    {
        await using var rig = await ModelRig.StartAsync(output, settings: new Dictionary<string, string?> { ["Models:MaxRetries"] = "1" });
        await rig.StopStandInAsync();

        var error = await Assert.ThrowsAsync<ModelEndpointException>(() => AskAsync(rig, rig.Llm, _ct).WaitAsync(Timeout, _ct));

        Assert.Matches(@"^the model endpoint failed: cannot reach http://[^/ ]+ \(ConnectionError\) after 1 retry$", error.Message);
        Assert.Null(error.StatusCode);
        Assert.Contains(rig.Logs.Lines, line => line.Contains("cannot reach", StringComparison.Ordinal) && line.Contains("retry 1 of 1", StringComparison.Ordinal));
        rig.AssertNoLogContains(OpenAiStandIn.DefaultKey);
    }

    [Fact]
    public async Task No_trace_or_baggage_header_leaves_for_the_model_endpoint()
    {
        await using var rig = await ModelRig.StartAsync(output);
        rig.StandIn.Enqueue(StandInReply.Text("Hi."));
        using var source = new System.Diagnostics.ActivitySource("Orchestrator.Tests.Model");
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) =>
                System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var activity = source.StartActivity("task")!;
        activity.AddBaggage("conversation", Guid.NewGuid().ToString());

        await AskAsync(rig, rig.Llm, _ct).WaitAsync(Timeout, _ct);

        var headers = Assert.Single(rig.StandIn.Requests).Headers;
        Assert.DoesNotContain(headers.Keys, name => name.ToLowerInvariant() is "traceparent" or "tracestate" or "baggage" or "correlation-context" or "request-id");
    }
}
