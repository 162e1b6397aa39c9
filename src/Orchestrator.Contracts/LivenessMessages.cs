namespace Orchestrator.Contracts;

/// <summary>
/// An agent instance took a task attempt off its queue and is working on it. Published as soon as the work begins,
/// not when it ends (so never through the consumer's outbox).
/// </summary>
/// <param name="Instance">Who runs it: <c>&lt;role&gt;@&lt;machine&gt;/&lt;process id&gt;</c> (in Kubernetes the machine is the pod).</param>
/// <param name="At">The instance's clock; the orchestrator judges liveness by its own clock.</param>
public sealed record TaskStarted(Guid FeatureId, string TaskId, int Attempt, string Instance, DateTimeOffset At);

/// <summary>
/// The instance running a task attempt is still alive; sent every <see cref="TaskAssignment.HeartbeatInterval"/> while
/// the attempt runs.
/// </summary>
public sealed record TaskHeartbeat(Guid FeatureId, string TaskId, int Attempt, string Instance, DateTimeOffset At);

/// <summary>
/// Published by the orchestrator's deadline monitor when a running task attempt has sent no heartbeat for three
/// heartbeat intervals: its instance is presumed dead, and the saga treats the attempt as failed.
/// </summary>
/// <param name="LastSeen">When the orchestrator last heard from the attempt (its start or a heartbeat).</param>
public sealed record TaskLost(Guid FeatureId, string TaskId, int Attempt, DateTimeOffset LastSeen);

/// <summary>A merge service instance began consolidating the feature (published as the work begins).</summary>
/// <param name="Instance">Who consolidates: <c>merge@&lt;machine&gt;/&lt;process id&gt;</c>.</param>
public sealed record ConsolidationStarted(Guid FeatureId, string Instance, DateTimeOffset At);

/// <summary>
/// The instance consolidating the feature is still alive; sent every <see cref="ConsolidateFeature.HeartbeatInterval"/>
/// while it works.
/// </summary>
public sealed record ConsolidationHeartbeat(Guid FeatureId, string Instance, DateTimeOffset At);

/// <summary>
/// Published by the orchestrator's deadline monitor when a started consolidation has sent no heartbeat for three
/// heartbeat intervals; the saga sends the consolidation again or fails the feature.
/// </summary>
/// <param name="LastSeen">When the orchestrator last heard from the consolidation (its start or a heartbeat).</param>
public sealed record ConsolidationLost(Guid FeatureId, DateTimeOffset LastSeen);
