using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Orchestrator.Contracts;
using Orchestrator.Llm.Context;

namespace Orchestrator.Llm;

/// <summary>
/// Builds the chat client for one conversation of one feature: a device's (<see cref="IModelDevices"/>: the scripted
/// model, a replay) when the feature names one, otherwise the configured <c>llm</c> endpoint through Semantic Kernel's
/// OpenAI connector stack; recorded when the feature is. Every client is wrapped the same way: usage metered
/// innermost, GenAI telemetry, and Semantic Kernel's function invocation running the tool calls against the kernel's
/// plugins.
/// </summary>
public sealed class ChatModelFactory(
    IConfiguration configuration,
    IOptions<ModelOptions> options,
    ILoggerFactory loggerFactory,
    IServiceProvider services) : IDisposable
{
    public const string LlmConnectionName = "llm";

    private readonly Lock _gate = new();
    private ModelEndpoint? _endpoint;

    /// <summary>True when an LLM endpoint is configured (<c>ConnectionStrings:llm</c>).</summary>
    public bool HasLlm => !string.IsNullOrWhiteSpace(configuration.GetConnectionString(LlmConnectionName));

    /// <summary>The parsed <c>llm</c> connection, or null when none is configured; throws <see cref="LlmConnectionException"/> when it is invalid.</summary>
    public LlmConnection? Llm => HasLlm ? Endpoint().Connection : null;

    /// <summary>
    /// The live model of a new feature: the <c>llm</c> endpoint with <paramref name="modelId"/> (or the connection's
    /// model), labelled e.g. <c>openai:gpt-4o-mini</c>. Throws <see cref="LlmConnectionException"/> when none is configured.
    /// </summary>
    public ModelSelection SelectLive(string? modelId)
    {
        if (!HasLlm)
        {
            throw new LlmConnectionException(
                "No LLM endpoint is configured (ConnectionStrings:llm) and the request names no script for the offline scripted model.");
        }

        var connection = Endpoint().Connection;
        var requested = string.IsNullOrWhiteSpace(modelId) ? null : modelId.Trim();
        return new ModelSelection(null, connection.Describe(requested)) { ModelId = requested };
    }

    /// <summary>
    /// The client of one conversation: the device's player when the model names a device, else the endpoint; recorded
    /// when <see cref="ModelSelection.Record"/> is set (a replay is never recorded again).
    /// </summary>
    public Task<IChatClient> CreateAsync(
        ModelSelection model, ModelConversation conversation, UsageMeter meter, CancellationToken cancellationToken) =>
        CreateAsync(model, conversation, meter, turns: null, cancellationToken);

    /// <summary>As above, and every model call (each round of the tool loop) is reported to <paramref name="turns"/>.</summary>
    public async Task<IChatClient> CreateAsync(
        ModelSelection model, ModelConversation conversation, UsageMeter meter, IModelTurnObserver? turns, CancellationToken cancellationToken)
    {
        var inner = await ModelClientAsync(model, conversation, cancellationToken);
        var budget = ContextBudget.For(options.Value, model.Description);
        // The n-th compaction of this conversation is a conversation of its own, metered against the same budget.
        var compaction = new CompactionModel(
            async (n, token) => new UsageRecordingChatClient(
                await ModelClientAsync(model, conversation.Compaction(n), token), meter, services.GetService<ModelTokenMetrics>(), ModelTokenMetrics.ModelTag(model)),
            budget);
        return Pipeline(inner, meter, model, turns, client => new CompactingChatClient(client, budget, compaction));
    }

    // The device's player for the conversation, or the endpoint; recorded when the feature is.
    private async Task<IChatClient> ModelClientAsync(ModelSelection model, ModelConversation conversation, CancellationToken cancellationToken)
    {
        var devices = services.GetService<IModelDevices>();
        var inner = devices is null ? null : await devices.PlayerAsync(model, conversation, cancellationToken);
        if (inner is null && (model.Script is not null || model.Replay is not null))
        {
            throw new InvalidOperationException("This service has no model devices (AddModelDevices) to play a script or a cassette.");
        }

        inner ??= Endpoint().CreateChatClient(model.ModelId);
        if (model.Record && model.Replay is null && devices is not null)
        {
            inner = devices.Recording(inner, model, conversation);
        }

        return inner;
    }

    /// <summary>
    /// From the outside in: telemetry, the tool loop, compaction (each round of the loop is compacted when it nears the
    /// window), the budget notice, turn reporting, the usage meter, the model.
    /// </summary>
    private IChatClient Pipeline(
        IChatClient inner, UsageMeter meter, ModelSelection model, IModelTurnObserver? turns, Func<IChatClient, IChatClient> compacting)
    {
        var tokens = services.GetService<ModelTokenMetrics>();
        IChatClient metered = new UsageRecordingChatClient(inner, meter, tokens, ModelTokenMetrics.ModelTag(model));
        if (turns is not null)
        {
            metered = new ModelTurnReportingChatClient(metered, turns, services.GetService<TimeProvider>() ?? TimeProvider.System);
        }

        var client = compacting(new BudgetNoticeChatClient(metered, meter))
            .AsBuilder()
            .UseOpenTelemetry(loggerFactory, sourceName: "Orchestrator", configure: telemetry => telemetry.EnableSensitiveData = false)
            .UseKernelFunctionInvocation(loggerFactory)
            .Build(services);

        // Semantic Kernel's invoker is Microsoft.Extensions.AI's FunctionInvokingChatClient underneath.
        if (client.GetService<FunctionInvokingChatClient>() is { } invoker)
        {
            // A tool that throws (bad arguments, a missing parameter) answers the model with the reason, so it can fix
            // the call; our own tools report their errors as text anyway and never put secrets in exceptions.
            invoker.IncludeDetailedErrors = true;
            invoker.MaximumConsecutiveErrorsPerRequest = options.Value.MaxConsecutiveToolErrors;

            // The meter stops a task at its call limit with a reason that says so; the invoker's own limit (which ends
            // the loop without a summary) is kept just above it.
            if (meter.MaxCalls < int.MaxValue)
            {
                invoker.MaximumIterationsPerRequest = meter.MaxCalls + 1;
            }
        }

        return client;
    }

    public void Dispose() => _endpoint?.Dispose();

    private ModelEndpoint Endpoint()
    {
        lock (_gate)
        {
            return _endpoint ??= new ModelEndpoint(
                LlmConnection.Parse(configuration.GetConnectionString(LlmConnectionName)),
                options.Value,
                services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System,
                loggerFactory);
        }
    }
}
