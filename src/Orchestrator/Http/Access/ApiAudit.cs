namespace Orchestrator.Http.Access;

/// <summary>Which key (by name) changed what: the trail that makes a leaked key's use visible and a rotation safe.</summary>
internal static partial class ApiAudit
{
    public static void Submitted(ILogger logger, Guid featureId, string? keyName) => LogSubmitted(logger, featureId, keyName ?? "(none)");

    public static void Cancelled(ILogger logger, Guid featureId, string? keyName) => LogCancelled(logger, featureId, keyName ?? "(none)");

    public static void Approved(ILogger logger, Guid featureId, string? keyName) => LogApproved(logger, featureId, keyName ?? "(none)");

    public static void Rejected(ILogger logger, Guid featureId, string? keyName) => LogRejected(logger, featureId, keyName ?? "(none)");

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId} approved with API key {KeyName}")]
    private static partial void LogApproved(ILogger logger, Guid featureId, string keyName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId} rejected with API key {KeyName}")]
    private static partial void LogRejected(ILogger logger, Guid featureId, string keyName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId} submitted with API key {KeyName}")]
    private static partial void LogSubmitted(ILogger logger, Guid featureId, string keyName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId} cancellation asked with API key {KeyName}")]
    private static partial void LogCancelled(ILogger logger, Guid featureId, string keyName);
}
