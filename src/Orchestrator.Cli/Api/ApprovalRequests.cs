using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Orchestrator.Cli.Api;

/// <summary>Body of <c>POST /features/{id}/approve</c>: both parts optional; absent ones are not sent.</summary>
/// <param name="Plan">An edited plan, passed on as the user wrote it (the server validates it).</param>
internal sealed record ApproveFeatureRequest(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? Plan,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? TokenBudget);

/// <summary>Body of <c>POST /features/{id}/reject</c>.</summary>
internal sealed record RejectFeatureRequest(string? Reason);
