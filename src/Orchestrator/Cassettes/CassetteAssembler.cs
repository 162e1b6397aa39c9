using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Llm;

namespace Orchestrator.Cassettes;

/// <summary>
/// When a recorded feature ends (completed, failed or cancelled), assembles the per-agent recordings in
/// <c>&lt;Models:CassettesPath&gt;/&lt;feature:N&gt;/</c> into the feature's cassette,
/// <c>&lt;Models:CassettesPath&gt;/&lt;feature:N&gt;.cassette.json</c>. Features that were not recorded have no folder
/// and are left alone. The folder is kept (see <see cref="CassetteLibrary.Assemble"/>).
/// </summary>
public sealed partial class CassetteAssembler(CassetteLibrary cassettes, ILogger<CassetteAssembler> logger)
    : IConsumer<FeatureCompleted>, IConsumer<FeatureFailed>, IConsumer<FeatureCancelled>
{
    public Task Consume(ConsumeContext<FeatureCompleted> context) => Assemble(context.Message.FeatureId);

    public Task Consume(ConsumeContext<FeatureFailed> context) => Assemble(context.Message.FeatureId);

    public Task Consume(ConsumeContext<FeatureCancelled> context) => Assemble(context.Message.FeatureId);

    /// <summary>Assembles the cassette of a feature now; returns its path, or null when the feature was not recorded.</summary>
    public Task<string?> Assemble(Guid featureId)
    {
        var path = cassettes.Assemble(featureId);
        if (path is not null)
        {
            LogAssembled(logger, featureId, path);
        }

        return Task.FromResult(path);
    }

    [LoggerMessage(LogLevel.Information, "Feature {FeatureId}: the recorded model calls are in the cassette {Path}")]
    private static partial void LogAssembled(ILogger logger, Guid featureId, string path);
}
