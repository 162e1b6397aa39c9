using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;

namespace Orchestrator.Llm.Devices.Consumers;

/// <summary>
/// Keeps the recordings of recorded features: each model call as it arrives, and the feature's cassette,
/// <c>&lt;Models:CassettesPath&gt;/&lt;feature:N&gt;.cassette.json</c>, assembled when the feature ends — and again when
/// a call arrives after that (an agent still stopping after a failure). Features that were not recorded are left alone.
/// </summary>
public sealed partial class CassetteRecordingConsumer(CassetteLibrary cassettes, ILogger<CassetteRecordingConsumer> logger) :
    IConsumer<ModelCallRecorded>, IConsumer<FeatureCompleted>, IConsumer<FeatureFailed>, IConsumer<FeatureCancelled>
{
    public Task Consume(ConsumeContext<ModelCallRecorded> context)
    {
        var exchange = JsonSerializer.Deserialize<CassetteExchange>(context.Message.Exchange, CassetteJson.Line)
            ?? throw new ModelDeviceException($"A recorded call of feature {context.Message.FeatureId} is empty.");
        cassettes.Append(context.Message.FeatureId, exchange with { Agent = context.Message.Agent });
        if (cassettes.IsAssembled(context.Message.FeatureId))
        {
            Assemble(context.Message.FeatureId);
        }

        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<FeatureCompleted> context) => Assemble(context.Message.FeatureId);

    public Task Consume(ConsumeContext<FeatureFailed> context) => Assemble(context.Message.FeatureId);

    public Task Consume(ConsumeContext<FeatureCancelled> context) => Assemble(context.Message.FeatureId);

    private Task Assemble(Guid featureId)
    {
        if (cassettes.Assemble(featureId) is { } path)
        {
            LogAssembled(logger, featureId, path);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Information, "Feature {FeatureId}: the recorded model calls are in the cassette {Path}")]
    private static partial void LogAssembled(ILogger logger, Guid featureId, string path);
}
