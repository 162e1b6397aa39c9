using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Llm.Tests.Support;
using Orchestrator.Testing;

namespace Orchestrator.Llm.Tests;

/// <summary>How requests reach the endpoint: provider dialects, the key, the model.</summary>
public sealed class EndpointTests(ITestOutputHelper output)
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<string?> AskAsync(ModelRig rig, Contracts.ModelSelection model, CancellationToken cancellationToken)
    {
        using var client = rig.Factory.Create(model, "task-a", new UsageMeter(5));
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

        Assert.Equal("Hi.", await AskAsync(rig, rig.Llm, ct).WaitAsync(Timeout, ct));

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
        var selection = rig.Factory.Select(null, "gpt-4.1-mini");

        await AskAsync(rig, selection, ct).WaitAsync(Timeout, ct);

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

        await AskAsync(rig, rig.Llm, ct).WaitAsync(Timeout, ct);

        var request = Assert.Single(rig.StandIn.Requests);
        Assert.False(request.HadBearerAuth);
        Assert.False(request.Headers.ContainsKey("authorization"));
    }

    [Fact]
    public async Task Azure_OpenAI_gets_the_deployment_path_the_api_version_and_an_api_key_header()
    {
        await using var rig = await ModelRig.StartAsync(output, s => s.AzureConnectionString(deployment: "gpt-4o-prod"));
        rig.StandIn.Enqueue(StandInReply.Text("Hi."));

        Assert.Equal("Hi.", await AskAsync(rig, rig.Llm, ct).WaitAsync(Timeout, ct));

        var request = Assert.Single(rig.StandIn.Requests);
        Assert.Equal("/openai/deployments/gpt-4o-prod/chat/completions", request.Path);
        Assert.Equal($"?api-version={LlmConnection.DefaultAzureApiVersion}", request.Query);
        Assert.True(request.HadApiKeyHeader);
        Assert.False(request.HadBearerAuth);
        Assert.True(request.KeyAccepted);
        Assert.Equal("azure-openai:gpt-4o-prod", rig.Llm.Description);
    }
}
