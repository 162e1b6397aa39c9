using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Orchestrator.Contracts;

namespace Orchestrator.Llm;

/// <summary>
/// Builds the chat client for one agent of one feature: the replay model when the feature names a cassette, the
/// scripted model when it names a script, otherwise the configured <c>llm</c> endpoint through Semantic Kernel's
/// OpenAI connector stack. A recorded feature's model client is wrapped in a <see cref="RecordingChatClient"/>. Every
/// client is wrapped the same way: usage metered innermost, GenAI telemetry, and Semantic Kernel's function invocation
/// running the tool calls against the kernel's plugins.
/// </summary>
public sealed class ChatModelFactory(
    ScriptLibrary scripts,
    IConfiguration configuration,
    IOptions<ModelOptions> options,
    ILoggerFactory loggerFactory,
    IServiceProvider services) : IDisposable
{
    public const string LlmConnectionName = "llm";

    private readonly Lock _gate = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid Feature, string Agent), int> _replayRuns = new();
    private ModelEndpoint? _endpoint;
    private CassetteRecorder? _recorder;

    /// <summary>True when an LLM endpoint is configured (<c>ConnectionStrings:llm</c>).</summary>
    public bool HasLlm => !string.IsNullOrWhiteSpace(configuration.GetConnectionString(LlmConnectionName));

    /// <summary>The parsed <c>llm</c> connection, or null when none is configured; throws <see cref="LlmConnectionException"/> when it is invalid.</summary>
    public LlmConnection? Llm => HasLlm ? Endpoint().Connection : null;

    public ModelSelection Select(string? script) => Select(script, modelId: null);

    /// <summary>
    /// The model of a new feature: the named script, else the <c>llm</c> endpoint with <paramref name="modelId"/> (or
    /// the connection's model), labelled e.g. <c>openai:gpt-4o-mini</c>.
    /// </summary>
    public ModelSelection Select(string? script, string? modelId)
    {
        if (script is not null)
        {
            return new ModelSelection(script, $"{ScriptedChatClient.ProviderName}:{script} (scripted demo model, not an AI)");
        }

        if (!HasLlm)
        {
            throw new ScriptedModelException(
                "No LLM endpoint is configured (ConnectionStrings:llm) and the request names no script for the offline scripted model.");
        }

        var connection = Endpoint().Connection;
        var requested = string.IsNullOrWhiteSpace(modelId) ? null : modelId.Trim();
        return new ModelSelection(null, connection.Describe(requested)) { ModelId = requested };
    }

    /// <summary>
    /// The replay model playing the cassette <paramref name="name"/> (<c>&lt;Models:CassettesPath&gt;/&lt;name&gt;.cassette.json</c>),
    /// labelled <c>replay:&lt;name&gt; (recorded run, not a live model)</c>. Throws <see cref="ScriptedModelException"/>
    /// when the name is invalid or no such cassette exists.
    /// </summary>
    public ModelSelection SelectReplay(string name)
    {
        var cassettes = new CassetteLibrary(options);
        if (!CassetteLibrary.IsValidName(name))
        {
            throw new ScriptedModelException($"Replay: '{name}' is not a valid cassette name.");
        }

        if (!cassettes.Exists(name))
        {
            var known = cassettes.Names();
            throw new ScriptedModelException(
                $"Replay: no cassette named '{name}'; available: {(known.Count == 0 ? "none" : string.Join(", ", known))}.");
        }

        return new ModelSelection(null, $"{ReplayChatClient.ProviderName}:{name} (recorded run, not a live model)") { Replay = name };
    }

    /// <summary>A client without a feature: it cannot record (<see cref="ModelSelection.Record"/> is refused).</summary>
    public IChatClient Create(ModelSelection model, string agent, UsageMeter meter) => Create(model, agent, meter, Guid.Empty);

    /// <summary>
    /// The client of <paramref name="agent"/> (<c>planner</c> or a task id) of feature <paramref name="featureId"/>:
    /// replaying <see cref="ModelSelection.Replay"/>, else the script or the endpoint, recorded when
    /// <see cref="ModelSelection.Record"/> is set (a replay is never recorded again).
    /// </summary>
    public IChatClient Create(ModelSelection model, string agent, UsageMeter meter, Guid featureId)
    {
        IChatClient inner;
        if (model.Replay is { } cassette)
        {
            var runs = _replayRuns;
            inner = new ReplayChatClient(
                new CassetteLibrary(options).Load(cassette), agent, () => runs.AddOrUpdate((featureId, agent), 1, (_, run) => run + 1));
        }
        else
        {
            inner = model.Script is { } name
                ? new ScriptedChatClient(scripts.Load(name), agent)
                : Endpoint().CreateChatClient(model.ModelId);
            if (model.Record)
            {
                if (featureId == Guid.Empty)
                {
                    throw new InvalidOperationException("Recording a model needs the feature id: call Create with it.");
                }

                inner = new RecordingChatClient(inner, Recorder(), featureId, agent, model.Description);
            }
        }

        var client = new UsageRecordingChatClient(inner, meter)
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

    private CassetteRecorder Recorder()
    {
        lock (_gate)
        {
            return _recorder ??= new CassetteRecorder(options.Value.CassettesPath);
        }
    }

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
