using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Orchestrator.Contracts;

namespace Orchestrator.Models;

/// <summary>
/// Builds the chat client for one agent of one feature: the scripted model when the feature names a script,
/// otherwise the configured <c>llm</c> endpoint. The client is wrapped so usage is metered and Semantic Kernel's
/// function invocation runs the tool calls.
/// </summary>
public sealed class ChatModelFactory(
    ScriptLibrary scripts,
    IConfiguration configuration,
    ILoggerFactory loggerFactory,
    IServiceProvider services)
{
    public const string LlmConnectionName = "llm";

    /// <summary>True when an OpenAI-compatible endpoint is configured.</summary>
    public bool HasLlm => !string.IsNullOrWhiteSpace(configuration.GetConnectionString(LlmConnectionName));

    public ModelSelection Select(string? script) =>
        script is not null
            ? new ModelSelection(script, $"{ScriptedChatClient.ProviderName}:{script} (scripted demo model, not an AI)")
            : HasLlm
                ? new ModelSelection(null, "llm")
                : throw new ScriptedModelException(
                    "No LLM endpoint is configured (ConnectionStrings:llm) and the request names no script for the offline scripted model.");

    public IChatClient Create(ModelSelection model, string agent, UsageMeter meter)
    {
        IChatClient inner = model.Script is { } name
            ? new ScriptedChatClient(scripts.Load(name), agent)
            : throw new NotSupportedException(
                "Real LLM endpoints are not wired yet: name a script to use the offline scripted model.");

        return new UsageRecordingChatClient(inner, meter)
            .AsBuilder()
            .UseOpenTelemetry(loggerFactory, sourceName: "Orchestrator", configure: telemetry => telemetry.EnableSensitiveData = false)
            .UseKernelFunctionInvocation(loggerFactory)
            .Build(services);
    }
}
